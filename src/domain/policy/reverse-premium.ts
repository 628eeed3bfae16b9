import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { subtractMoney, ZERO } from '../shared/money.ts';
import { touch } from '../shared/record.ts';
import { assertDate } from './issue-policy.ts';
import { openLedger } from './policy-book.ts';
import type { PolicyRules } from './policy-rules.ts';
import { allocate, type PremiumAllocation } from './premium-allocation.ts';
import { Premium } from './premium.entity.ts';

export interface ReversalInput {
  /** The payment to reverse. */
  premiumId: string;
  /** When the money was taken back (a bounced cheque, a chargeback, a refund). */
  date: IsoDate;
}

/**
 * Reverses a payment with a compensating entry (−amount, same receipt, pointing at the payment);
 * nothing is edited or deleted, so the ledger tells what happened and when. The policy is then
 * settled again: an active policy its payments no longer cover goes back to idle and its members
 * lose cover (see `settle`); whatever was credit is reduced first.
 */
export async function reversePremium(
  em: EntityManager,
  input: ReversalInput,
  rules: PolicyRules,
): Promise<PremiumAllocation & { reversal: Premium }> {
  assertDate(input.date, 'date');
  const payment = await em.findOne(Premium, { id: input.premiumId, deletedAt: null });
  if (!payment) {
    throw new KingaError('policy.premium-not-found', { id: input.premiumId }, { field: 'premium' });
  }
  if (!payment.isPayment()) {
    throw new KingaError('policy.premium-not-reversible', { kind: payment.kind }, { field: 'premium' });
  }
  if (input.date < payment.payDate) {
    throw new KingaError(
      'policy.reversal-before-payment',
      { payDate: payment.payDate, date: input.date },
      { field: 'date' },
    );
  }
  // The policy's row lock serialises every ledger change of the policy, reversals included.
  const book = await openLedger(em, payment.policy.id);
  if (book.ledger.some((entry) => entry.kind === 'reversal' && entry.counterpart?.id === payment.id)) {
    throw new KingaError(
      'policy.premium-already-reversed',
      { receipt: payment.receipt },
      { field: 'premium' },
    );
  }
  const reversal = em.create(Premium, {
    policy: book.policy,
    product: payment.product,
    kind: 'reversal',
    amount: subtractMoney(ZERO, payment.amount),
    receipt: payment.receipt,
    payDate: input.date,
    payType: payment.payType,
    payer: payment.payer ?? null,
    counterpart: payment,
  });
  // The payment's published form now says it is reversed.
  touch(payment);
  book.ledger.push(reversal);
  return { reversal, ...allocate(book, rules) };
}
