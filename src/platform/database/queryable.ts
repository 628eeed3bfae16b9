import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import type { Sql } from './sql.ts';

/** Runs parameterised SQL either on the pool or inside the caller's transaction. */
export interface Queryable {
  query<Row>(statement: Sql): Promise<Row[]>;
}

/** A prepared statement's name: the same text is the same statement, on every connection. */
const names = new Map<string, string>();
const MAX_NAMES = 1000;

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `kinga_${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size < MAX_NAMES) {
      names.set(text, name);
    }
  }
  return name;
}

/**
 * What node-postgres is given: the text, or for a prepared statement a query config naming it
 * (node-postgres then parses it once per connection). A new object each time: pg adds the values to it.
 */
function queryOf(statement: Sql): { query: string | { name: string; text: string }; values: unknown[] } {
  const { text, values } = statement.toQuery();
  return { query: statement.isPrepared ? { name: nameOf(text), text } : text, values };
}

/** On the pool, or on one client taken from it (a transaction of its own). */
export function poolQueryable(pool: Pool | PoolClient): Queryable {
  return {
    async query<Row>(statement: Sql): Promise<Row[]> {
      const { query, values } = queryOf(statement);
      return (await pool.query(query as string, values)).rows as Row[];
    },
  };
}

/** Uses the entity manager's connection, so reads see the uncommitted writes of its transaction. */
export function emQueryable(em: EntityManager): Queryable {
  return {
    async query<Row>(statement: Sql): Promise<Row[]> {
      const { query, values } = queryOf(statement);
      const kysely = (em as SqlEntityManager).getKysely();
      // Kysely hands `sql` to pg's client.query unread (postgres-driver.ts executeQuery), so a
      // prepared statement's query config passes through it.
      const result = await kysely.executeQuery(CompiledQuery.raw(query as string, values));
      return result.rows as Row[];
    },
  };
}
