/**
 * Allocates one inbox entry, as the job does (allocateEntry), with a given verification under
 * test. Test files share the database, and another file's allocation run (unverified) may
 * take the entry first: then this answers null and the test makes a fresh payment.
 */
import type { KingaDatabase } from '../../src/app.ts';
import type { PaymentEvent, PaymentProvider } from '../../src/domain/payment/payment-event.ts';
import type { PaymentInbox } from '../../src/domain/payment/payment-inbox.entity.ts';
import { allocateEntry, type AllocationRun } from '../../src/integrations/payments/allocate-inbox.ts';
import { rules } from './payment-scheme.ts';

export async function allocateOne(
  db: KingaDatabase,
  provider: PaymentProvider,
  providerTxnId: string,
  verify: AllocationRun['verify'],
): Promise<PaymentInbox['status'] | null> {
  const { rows } = await db.pool.query<{ id: string; event: PaymentEvent }>(
    `select id, event from payment_inbox where provider = $1 and provider_txn_id = $2 and status = 'received'`,
    [provider, providerTxnId],
  );
  if (!rows[0]) {
    return null;
  }
  const outcome = await allocateEntry(
    db.orm,
    { rules, today: '2024-06-10', ...(verify ? { verify } : {}) },
    rows[0],
  );
  if (outcome === 'skipped') {
    return null;
  }
  const after = await db.pool.query<{ status: PaymentInbox['status'] }>(
    'select status from payment_inbox where id = $1',
    [rows[0].id],
  );
  return after.rows[0]!.status;
}

/** Runs `scenario` (a fresh payment each time) until this file, not another, allocated it. */
export async function allocatedHere<T extends { status: PaymentInbox['status'] | null }>(
  scenario: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await scenario();
    if (outcome.status !== null || attempt === 3) {
      return outcome;
    }
  }
}
