import type { EntityManager } from '@mikro-orm/core';

/**
 * Takes a transaction-scoped advisory lock on `key` (PostgreSQL pg_advisory_xact_lock): writers of
 * the same key queue until the holder commits, and then see what it wrote. For uniqueness that
 * spans a check and an insert (a claim code per facility), where the unique index alone would only
 * turn the race into an error.
 */
export async function lockKey(em: EntityManager, key: string): Promise<void> {
  await em
    .getConnection()
    .execute(
      'select pg_advisory_xact_lock(hashtextextended(?, 0))',
      [key],
      'all',
      em.getTransactionContext(),
    );
}
