import { LockMode, type EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { maxMoney, subtractMoney, ZERO, type Money } from '../shared/money.ts';
import { normaliseReference } from './payment-reference-number.ts';
import { PaymentReference } from './payment-reference.entity.ts';
import { PaymentInbox } from './payment-inbox.entity.ts';
import { credit, type AllocationContext } from './allocate-payment.ts';

/** Assign to a reference (with the amount received, when the provider did not say it), or refund. */
export type ExceptionResolution = { assign: string; amount?: Money } | { refund: string };

/**
 * Staff resolve a payment that matched nothing: assign it to a payment reference (then it is
 * allocated to that policy like any payment) or record that it was refunded to the payer. Only an
 * unmatched payment can be resolved, once.
 */
export async function resolvePaymentException(
  em: EntityManager,
  entryId: string,
  resolution: ExceptionResolution,
  context: AllocationContext & { by: string },
): Promise<PaymentInbox> {
  const entry = await em.findOne(PaymentInbox, { id: entryId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!entry) {
    throw new KingaError('payment.exception-not-found', { id: entryId });
  }
  if (entry.status !== 'unmatched') {
    throw new KingaError('payment.exception-resolved', { status: entry.status });
  }
  if ('refund' in resolution) {
    entry.status = 'refunded';
    entry.resolution = `refunded by ${context.by}: ${resolution.refund}`;
    entry.processedAt = new Date();
    return entry;
  }
  // Locked before the policy, as allocation takes them (match-payment.ts).
  const reference = await em.findOne(
    PaymentReference,
    { reference: normaliseReference(resolution.assign), status: { $ne: 'cancelled' }, deletedAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!reference) {
    throw new KingaError(
      'payment.reference-unknown',
      { reference: resolution.assign },
      { field: 'reference' },
    );
  }
  // A callback without an amount (Airtel's): what staff say was received, else what the reference still expects.
  const asked =
    resolution.amount ?? maxMoney(ZERO, subtractMoney(reference.expectedAmount, reference.paidAmount));
  const status = await credit(em, entry, reference.policy, reference, context, asked);
  if (status === 'allocated') {
    entry.status = 'assigned';
    entry.resolution = `assigned by ${context.by} to ${reference.reference}`;
  }
  return entry;
}
