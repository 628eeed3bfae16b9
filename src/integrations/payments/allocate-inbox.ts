import type { MikroORM } from '@mikro-orm/postgresql';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { allocatePayment, type AllocationContext } from '../../domain/payment/allocate-payment.ts';
import { PaymentInbox } from '../../domain/payment/payment-inbox.entity.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';

/** After this many failed attempts an entry stops being retried and waits for staff as an exception. */
export const MAX_ATTEMPTS = 5;

export interface DrainSummary {
  allocated: number;
  failed: number;
  unmatched: number;
  errors: number;
}

/**
 * Allocates what waits in the inbox, oldest first, each entry in its own transaction that locks
 * its row (FOR UPDATE SKIP LOCKED: several workers never take the same entry, and an entry being
 * allocated is skipped, not waited for). An error rolls the entry's transaction back — the premium
 * with it — and counts an attempt; the entry is taken again on the next run, so a crash or a kill
 * mid-allocation never credits twice and never loses the payment.
 */
export async function allocateWaitingPayments(
  orm: MikroORM,
  context: AllocationContext,
  options: { limit?: number; workers?: number } = {},
): Promise<DrainSummary> {
  const summary: DrainSummary = { allocated: 0, failed: 0, unmatched: 0, errors: 0 };
  const limit = options.limit ?? 10_000;
  let taken = 0;
  // An entry left received (its provider could not confirm it yet) is not taken again in this run.
  const seen: string[] = [];
  const worker = async () => {
    while (taken < limit) {
      taken += 1;
      const outcome = await allocateNext(orm, context, seen);
      if (outcome === 'none') {
        return;
      }
      if (outcome === 'error') {
        summary.errors += 1;
      } else if (outcome === 'allocated' || outcome === 'failed' || outcome === 'unmatched') {
        summary[outcome] += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers ?? 2 }, worker));
  return summary;
}

async function allocateNext(orm: MikroORM, context: AllocationContext, seen: string[]): Promise<string> {
  let entryId: string | undefined;
  try {
    return await inTransaction(orm.em.fork(), { actor: 'job:allocate-payments' }, async (tx) => {
      const rows = await (tx as SqlEntityManager).execute<{ id: string }[]>(
        `select id from payment_inbox
          where status = 'received' and attempts < ? and not (id = any(?::uuid[]))
          order by received_at limit 1 for update skip locked`,
        [MAX_ATTEMPTS, `{${seen.join(',')}}`],
      );
      entryId = rows[0]?.id;
      if (!entryId) {
        return 'none';
      }
      const entry = await tx.findOneOrFail(PaymentInbox, { id: entryId });
      const status = await allocatePayment(tx, entry, context);
      if (status === 'received') {
        // Only an entry still waiting could be taken again: the list stays short.
        seen.push(entryId);
      }
      if (status === 'received' && entry.attempts >= MAX_ATTEMPTS) {
        // Asked once a run (the sweep runs every minute): still unconfirmed, it goes to staff.
        entry.status = 'unmatched';
        entry.processedAt = new Date();
        return 'unmatched';
      }
      return status;
    });
  } catch (error) {
    if (!entryId) {
      throw error;
    }
    await noteFailure(orm, entryId, error);
    return 'error';
  }
}

/** Counts the failed attempt; the last one leaves the entry for staff, with the error. */
async function noteFailure(orm: MikroORM, id: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await inTransaction(orm.em.fork(), { actor: 'job:allocate-payments' }, async (tx) => {
    const entry = await tx.findOneOrFail(PaymentInbox, { id });
    entry.attempts += 1;
    entry.lastError = message.slice(0, 2000);
    if (entry.attempts >= MAX_ATTEMPTS) {
      entry.status = 'unmatched';
      entry.processedAt = new Date();
    }
  });
}
