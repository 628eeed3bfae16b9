import type { MikroORM } from '@mikro-orm/postgresql';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import {
  allocatePayment,
  needsVerdict,
  type AllocationContext,
  type Verification,
} from '../../domain/payment/allocate-payment.ts';
import type { PaymentEvent } from '../../domain/payment/payment-event.ts';
import { PaymentInbox } from '../../domain/payment/payment-inbox.entity.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import { SCHEME_INSURER_ID_SQL } from '../../fhir/shared/policy-values.ts';
import { primeSchemeInsurer } from '../../fhir/shared/scheme-insurer.ts';

/** After this many failed attempts an entry stops being retried and waits for staff as an exception. */
export const MAX_ATTEMPTS = 5;

export interface AllocationRun extends AllocationContext {
  /**
   * Confirms an unsigned provider's callback with the provider before money moves (M-Pesa STK,
   * MTN, when PAYMENT_VERIFY_UNSIGNED is on); asked with no transaction open.
   */
  verify?: (event: PaymentEvent) => Promise<Verification>;
}

/**
 * Entries allocated at once by one run. An allocation is about 18 statements, and while one waits
 * on the database another uses the CPU. On 2 cores at 1 M insurees, 4 allocated 142 and 117/s
 * against 119 and 103/s with 2 (alternating runs of `npm run bench -- --only mpesa --worker`);
 * at 10 000 insurees 8 were slower than 4.
 */
export const ALLOCATION_WORKERS = 4;

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
 *
 * With `verify`, each entry's provider is asked first, outside any transaction (the run's
 * workers take entries in turn from one cursor), and the entry is then locked and allocated with
 * that verdict, unless something else allocated it meanwhile.
 */
export async function allocateWaitingPayments(
  orm: MikroORM,
  context: AllocationRun,
  options: { limit?: number; workers?: number } = {},
): Promise<DrainSummary> {
  const summary: DrainSummary = { allocated: 0, failed: 0, unmatched: 0, errors: 0 };
  const limit = options.limit ?? 10_000;
  let taken = 0;
  // An entry left received (its provider could not confirm it yet) is not taken again in this run.
  const cursor: VerifyCursor = { taken: new Set() };
  const worker = async () => {
    while (taken < limit) {
      taken += 1;
      const outcome = await allocateNext(orm, context, cursor);
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
  await Promise.all(Array.from({ length: options.workers ?? ALLOCATION_WORKERS }, worker));
  return summary;
}

async function allocateNext(orm: MikroORM, context: AllocationRun, cursor: VerifyCursor): Promise<string> {
  if (context.verify) {
    const candidate = await nextToVerify(orm, cursor);
    return candidate ? allocateEntry(orm, context, candidate) : 'none';
  }
  return allocateLocked(orm, context, undefined, undefined);
}

/**
 * Allocates one given entry as the job does: the provider is asked first (with `verify`), with
 * no transaction open, then the entry is locked and allocated, unless something else (staff,
 * another run) allocated it meanwhile ('skipped').
 */
export async function allocateEntry(
  orm: MikroORM,
  context: AllocationRun,
  entry: { id: string; event: PaymentEvent },
): Promise<string> {
  let verdict: Verification | undefined;
  if (context.verify && needsVerdict(entry.event)) {
    try {
      verdict = await context.verify(entry.event);
    } catch (error) {
      await noteFailure(orm, entry.id, error);
      return 'error';
    }
  }
  return allocateLocked(orm, context, entry.id, verdict);
}

/** Locks the given entry, else the oldest waiting one that no one holds, and allocates it. */
async function allocateLocked(
  orm: MikroORM,
  context: AllocationContext,
  id: string | undefined,
  verdict: Verification | undefined,
): Promise<string> {
  let entryId = id;
  try {
    return await inTransaction(orm.em.fork(), { actor: 'job:allocate-payments' }, async (tx) => {
      // The whole row, locked, made the entry (em.map): no second read of it. The scheme's
      // insurer, which the payment's published forms (Coverage, PaymentNotice) name, comes with it.
      const rows = await (tx as SqlEntityManager).execute<Record<string, unknown>[]>(
        `select e.*, insurer.id as insurer_id, insurer.name as insurer_name
           from payment_inbox e
           left join organisation insurer on insurer.id = ${SCHEME_INSURER_ID_SQL}
          where ${id ? `e.id = ? and e.status = 'received'` : `e.status = 'received' and e.attempts < ?`}
          order by e.received_at limit 1 for update of e skip locked`,
        id ? [id] : [MAX_ATTEMPTS],
      );
      if (!rows[0]) {
        return id ? 'skipped' : 'none';
      }
      const { insurer_id: insurerId, insurer_name: insurerName, ...row } = rows[0];
      if (insurerId) {
        primeSchemeInsurer(tx, { id: insurerId as string, name: insurerName as string });
      }
      const entry = tx.map(PaymentInbox, row);
      entryId = entry.id;
      const status = await allocatePayment(tx, entry, context, verdict);
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

/**
 * What a verifying run has taken: entries in (received_at, id) order, each once (an entry left
 * waiting is not asked about again in the same run).
 */
interface VerifyCursor {
  after?: { receivedAt: string; id: string };
  taken: Set<string>;
}

/**
 * The next entry waiting after the run's cursor, read without a lock (the provider is asked next,
 * with no transaction open). Several workers of the run may read the same one: the first back takes
 * it and moves the cursor, the others read again.
 */
async function nextToVerify(
  orm: MikroORM,
  cursor: VerifyCursor,
): Promise<{ id: string; event: PaymentEvent } | undefined> {
  for (;;) {
    const { after } = cursor;
    const rows = await (orm.em as SqlEntityManager).execute<
      { id: string; event: PaymentEvent; received_at: string }[]
    >(
      `select id, event, received_at::text as received_at from payment_inbox
        where status = 'received' and attempts < ?
          and (received_at, id) > (coalesce(?::timestamptz, '-infinity'), coalesce(?::uuid, '00000000-0000-0000-0000-000000000000'))
        order by received_at, id limit 1`,
      [MAX_ATTEMPTS, after?.receivedAt ?? null, after?.id ?? null],
    );
    const row = rows[0];
    if (!row) {
      return undefined;
    }
    if (!cursor.taken.has(row.id)) {
      cursor.taken.add(row.id);
      cursor.after = { receivedAt: row.received_at, id: row.id };
      return { id: row.id, event: row.event };
    }
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
