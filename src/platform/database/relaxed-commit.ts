import type { EntityManager } from '@mikro-orm/core';
import { emQueryable } from './queryable.ts';
import { sql } from './sql.ts';

/**
 * Commits the caller's transaction without waiting for its WAL to reach disk
 * (PostgreSQL 15 §30.4 "Asynchronous Commit"). For records whose loss in a crash costs nothing but
 * a retry: an eligibility enquiry is answered from durable data, and an enquiry lost in the last
 * few hundred milliseconds before a crash is asked again; a crash never leaves half of one.
 * Never for money, claims or registers.
 */
export async function commitWithoutWaitingForDisk(em: EntityManager): Promise<void> {
  await emQueryable(em).query(sql`set local synchronous_commit = off`);
}
