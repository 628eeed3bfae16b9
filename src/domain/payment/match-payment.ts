import { LockMode, type EntityManager } from '@mikro-orm/core';
import { Insuree } from '../insuree/insuree.entity.ts';
import { Policy } from '../policy/policy.entity.ts';
import { Product } from '../product/product.entity.ts';
import { compareMoney, subtractMoney, ZERO, type Money } from '../shared/money.ts';
import type { PaymentEvent } from './payment-event.ts';
import { isReferenceNumber, normaliseReference } from './payment-reference-number.ts';
import { PaymentReference } from './payment-reference.entity.ts';
import { PaymentRequest } from './payment-request.entity.ts';

export interface PaymentMatch {
  policy: Policy;
  reference: PaymentReference | null;
  /**
   * What the payer was asked for, for a callback that names no amount (Airtel's): the amount of
   * the request Kinga made, else what the reference still expects (expected − paid).
   */
  amountAsked?: Money;
}

/**
 * The policy a payment is for: by its payment reference (given in the callback, or in the request
 * Kinga made when the provider's callback does not repeat it) (check digits verified, so a mistyped one
 * matches nothing), else, as openIMIS does (uspMatchPayment), by an insurance number and a
 * product code: the family's latest policy of that product that is neither suspended nor expired.
 * Null when nothing matches: the payment is an exception for staff.
 */
export async function matchPayment(em: EntityManager, event: PaymentEvent): Promise<PaymentMatch | null> {
  const requested = event.reference
    ? null
    : await em.findOne(PaymentRequest, {
        provider: event.provider,
        providerRequestId: { $in: [event.providerTxnId, event.providerCorrelationId ?? event.providerTxnId] },
      });
  if (requested) {
    requested.status = 'answered';
    requested.answeredAt = new Date();
  }
  const text = event.reference ?? requested?.reference ?? idAsReference(event, requested);
  const given = text ? normaliseReference(text) : '';
  if (isReferenceNumber(given)) {
    // The policy stays a reference: recording the premium loads it, locked. The reference is
    // locked too, before the policy (the order every allocation takes them in): payments on one
    // reference allocated at once then add to its paid amount in turn, each reading the last one's,
    // where they would otherwise fail its version check and wait for a retry (five failures send a
    // good payment to staff), and an amountless callback would be asked what was already paid.
    const reference = await em.findOne(
      PaymentReference,
      { reference: given, status: { $ne: 'cancelled' }, deletedAt: null },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!reference) {
      return null;
    }
    const owed = subtractMoney(reference.expectedAmount, reference.paidAmount);
    const amountAsked = requested?.amount ?? (compareMoney(owed, ZERO) > 0 ? owed : undefined);
    return { policy: reference.policy, reference, ...(amountAsked ? { amountAsked } : {}) };
  }
  if (!given || !event.productCode) {
    return null;
  }
  const insuree = await em.findOne(Insuree, { insuranceNumber: given, deletedAt: null });
  const product = await em.findOne(Product, { code: event.productCode, deletedAt: null });
  if (!insuree?.family || !product) {
    return null;
  }
  const policy = await em.findOne(
    Policy,
    {
      family: insuree.family.id,
      product,
      status: { $nin: ['suspended', 'expired'] },
      deletedAt: null,
    },
    { orderBy: { expiryDate: 'desc', id: 'desc' } },
  );
  return policy ? { policy, reference: null, ...(requested ? { amountAsked: requested.amount } : {}) } : null;
}

/**
 * A callback that carries only the id it was asked under, when no request of Kinga's has that id:
 * the id may be the payment reference itself (Airtel's transaction.id is one of the places our
 * reference travels, integrations.md §5.5). Only a well-formed reference counts.
 */
function idAsReference(event: PaymentEvent, requested: PaymentRequest | null): string | undefined {
  return !requested && isReferenceNumber(event.providerTxnId) ? event.providerTxnId : undefined;
}

/** The PaymentReference `event` names, if any (for exceptions assigned by staff). */
export function referenceGiven(event: PaymentEvent): string | null {
  const given = event.reference ? normaliseReference(event.reference) : '';
  return isReferenceNumber(given) ? given : null;
}
