/**
 * Allocates one inbox entry, as the job does, with a given AllocationContext (the verification
 * under test). Test files share the database, and another file's allocation run (unverified) may
 * take the entry first: then this answers null and the test makes a fresh payment.
 */
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { KingaDatabase } from '../../src/app.ts';
import { allocatePayment, type AllocationContext } from '../../src/domain/payment/allocate-payment.ts';
import type { PaymentProvider } from '../../src/domain/payment/payment-event.ts';
import { PaymentInbox } from '../../src/domain/payment/payment-inbox.entity.ts';
import { inTransaction } from '../../src/platform/database/unit-of-work.ts';
import { rules } from './payment-scheme.ts';

export async function allocateOne(
  db: KingaDatabase,
  provider: PaymentProvider,
  providerTxnId: string,
  verify: AllocationContext['verify'],
): Promise<PaymentInbox['status'] | null> {
  return inTransaction(db.orm.em.fork(), { actor: 'test' }, async (tx) => {
    const rows = await (tx as SqlEntityManager).execute<{ id: string }[]>(
      `select id from payment_inbox
        where provider = ? and provider_txn_id = ? and status = 'received'
        for update skip locked`,
      [provider, providerTxnId],
    );
    if (!rows[0]) {
      return null;
    }
    const entry = await tx.findOneOrFail(PaymentInbox, { id: rows[0].id });
    return allocatePayment(tx, entry, { rules, today: '2024-06-10', ...(verify ? { verify } : {}) });
  });
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
