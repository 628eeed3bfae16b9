import type { EntityManager } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { inTransaction } from '../database/unit-of-work.ts';

/**
 * Runs a batched use case until it reports `done`, each batch in its own transaction: a sweep
 * over millions of policies holds locks and memory for one batch at a time, and a failure loses
 * only the batch it happened in (the job is retried and carries on where it stopped).
 */
export async function sweep(
  orm: MikroORM,
  actor: string,
  batch: (tx: EntityManager) => Promise<{ count: number; done: boolean }>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await inTransaction(orm.em.fork(), { actor }, batch);
    total += result.count;
    if (result.done) {
      return total;
    }
  }
}
