import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import type { Pool } from 'pg';
import type { Sql } from './sql.ts';

/** Runs parameterised SQL either on the pool or inside the caller's transaction. */
export interface Queryable {
  query<Row>(statement: Sql): Promise<Row[]>;
}

export function poolQueryable(pool: Pool): Queryable {
  return {
    async query<Row>(statement: Sql): Promise<Row[]> {
      const { text, values } = statement.toQuery();
      return (await pool.query(text, values)).rows as Row[];
    },
  };
}

/** Uses the entity manager's connection, so reads see the uncommitted writes of its transaction. */
export function emQueryable(em: EntityManager): Queryable {
  return {
    async query<Row>(statement: Sql): Promise<Row[]> {
      const { text, values } = statement.toQuery();
      const kysely = (em as SqlEntityManager).getKysely();
      const result = await kysely.executeQuery(CompiledQuery.raw(text, values));
      return result.rows as Row[];
    },
  };
}
