import type { EntityManager } from '@mikro-orm/core';

/** Who is writing, recorded with every published version. */
export interface WriteContext {
  actor?: string;
  requestId?: string;
}

const writeContexts = new WeakMap<EntityManager, WriteContext>();

/**
 * Runs `work` in one database transaction and flushes at the end. Every register write goes
 * through here: the FHIR projection (fhir/store/projection.ts) is written by the flush itself, so
 * a record and its published form commit or roll back together.
 */
export async function inTransaction<T>(
  em: EntityManager,
  context: WriteContext,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  return em.transactional(async (tx) => {
    writeContexts.set(tx, context);
    return work(tx);
  });
}

export function writeContextOf(em: EntityManager): WriteContext {
  return writeContexts.get(em) ?? {};
}
