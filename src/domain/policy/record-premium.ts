import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { compareMoney, isMoney, normaliseMoney, ZERO, type Money } from '../shared/money.ts';
import { assertDate } from './issue-policy.ts';
import { openLedger } from './policy-book.ts';
import type { PolicyRules } from './policy-rules.ts';
import { allocate, type PremiumAllocation } from './premium-allocation.ts';
import { Premium, type PayType } from './premium.entity.ts';

export interface PremiumInput {
  /** The premium's id when the client chose it. */
  id?: string;
  policyId: string;
  amount: Money;
  payDate: IsoDate;
  payType: PayType;
  /** Unique within the product among live payments (index premium_receipt_live_unique). */
  receipt: string;
  payer?: string | null;
}

/**
 * Records a premium paid for a policy and allocates it (openimis.md §2.1): the one allocation
 * path, for the cashier's receipt, the bank statement and mobile money alike.
 *
 * - Partial payment: the policy stays idle, its balance visible.
 * - Full payment: active from the later of the payment date and the start date, or ready when
 *   activation is manual; members who joined an active policy are covered once the ledger reaches
 *   their threshold (their extra premium).
 * - Overpayment: activates and keeps the surplus as credit (carried to the renewal), never dropped.
 *
 * A duplicate receipt fails on the unique index when the transaction flushes
 * (`policy.receipt-duplicate`). An expired policy takes no premium: renew it.
 */
export async function recordPremium(
  em: EntityManager,
  input: PremiumInput,
  rules: PolicyRules,
): Promise<PremiumAllocation & { premium: Premium }> {
  if (!isMoney(input.amount) || compareMoney(input.amount, ZERO) <= 0) {
    throw new KingaError('policy.premium-amount-invalid', { amount: input.amount }, { field: 'amount' });
  }
  assertDate(input.payDate, 'payDate');
  const receipt = input.receipt.trim();
  if (!receipt || receipt.length > 100) {
    throw new KingaError('policy.receipt-required', {}, { field: 'receipt' });
  }
  const book = await openLedger(em, input.policyId);
  if (book.policy.hasExpired()) {
    throw new KingaError('policy.expired', { id: book.policy.id }, { field: 'policy' });
  }
  const premium = em.create(Premium, {
    ...(input.id ? { id: input.id } : {}),
    policy: book.policy,
    product: book.policy.product,
    kind: 'payment',
    amount: normaliseMoney(input.amount),
    receipt,
    payDate: input.payDate,
    payType: input.payType,
    payer: input.payer?.trim() || null,
    counterpart: null,
  });
  book.ledger.push(premium);
  return { premium, ...allocate(book, rules) };
}
