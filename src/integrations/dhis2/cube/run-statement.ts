import type { Pool } from 'pg';
import type { Sql } from '../../../platform/database/sql.ts';

/**
 * Runs one cube statement in its own read-only transaction with settings of its own: no JIT
 * (compiling these plans takes longer than running them, their estimated cost being over
 * jit_above_cost), room for a country's hash aggregates in memory rather than in temporary files,
 * and no parallel workers (the statements of a computation already run side by side, one per
 * source: workers would only compete with them for the same cores).
 */
export async function runStatement<Row>(pool: Pool, statement: Sql): Promise<Row[]> {
  const client = await pool.connect();
  try {
    await client.query(
      `begin read only; set local jit = off; set local work_mem = '64MB'; set local max_parallel_workers_per_gather = 0; set local hash_mem_multiplier = 4`,
    );
    const { text, values } = statement.toQuery();
    const result = await client.query(text, values);
    await client.query('commit');
    return result.rows as Row[];
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
