import type { EntityManager } from '@mikro-orm/core';
import type { PolicyRules } from '../../domain/policy/policy-rules.ts';
import { Premium } from '../../domain/policy/premium.entity.ts';
import { recordPremium } from '../../domain/policy/record-premium.ts';
import { reversePremium } from '../../domain/policy/reverse-premium.ts';
import type { IsoDate } from '../../domain/shared/dates.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { compareMoney, isMoney } from '../../domain/shared/money.ts';
import { assertVersion } from '../../domain/shared/record.ts';
import { profileViolation } from '../shared/fhir-values.ts';
import { notReceived, PAYMENT_NOTICE_PROFILE, type PaymentNoticeInput } from './payment-notice.mapper.ts';

/** POST PaymentNotice: a premium received, recorded and allocated (recordPremium). */
export async function recordNotice(
  em: EntityManager,
  input: PaymentNoticeInput,
  rules: PolicyRules,
): Promise<Premium> {
  if (input.status !== 'active') {
    throw profileViolation(
      PAYMENT_NOTICE_PROFILE,
      'PaymentNotice.status',
      `A premium is recorded active, not ${input.status}; to reverse one, update it to cancelled`,
    );
  }
  if (input.paymentStatus === 'paid') {
    throw notReceived(input.paymentStatus);
  }
  const { premium } = await recordPremium(
    em,
    { ...(input.id ? { id: input.id } : {}), ...input.premium },
    rules,
  );
  return premium;
}

/**
 * PUT PaymentNotice: the one change a ledger entry takes is its reversal, asked for as status
 * cancelled (fm-status: "withdrawn, rescinded or reversed"). The payment stays as it was; a
 * compensating entry, dated `today`, is added (reversePremium) and published as a PaymentNotice of
 * its own. Anything else that differs is refused: an entry is never edited.
 */
export async function reviseNotice(
  em: EntityManager,
  premium: Premium,
  input: PaymentNoticeInput,
  expectedVersion: number | undefined,
  rules: PolicyRules,
  today: IsoDate,
): Promise<void> {
  assertVersion(premium, expectedVersion, 'PaymentNotice');
  const sent = input.premium;
  const differences: [boolean, string, string][] = [
    [sent.policyId !== premium.policy.id, 'request', 'policy'],
    [!isMoney(sent.amount) || compareMoney(sent.amount, premium.amount) !== 0, 'amount', 'amount'],
    [sent.payDate !== premium.payDate, 'paymentDate', 'payDate'],
    [sent.receipt.trim() !== premium.receipt, 'identifier (receipt)', 'receipt'],
    [sent.payType !== premium.payType, 'payment type', 'payType'],
  ];
  const differing = differences.find(([differs]) => differs);
  if (differing) {
    throw new KingaError('payment-notice.immutable', { element: differing[1] }, { field: differing[2] });
  }
  if (input.status !== 'active' && input.status !== 'cancelled') {
    throw profileViolation(
      PAYMENT_NOTICE_PROFILE,
      'PaymentNotice.status',
      `A premium is active, or cancelled once reversed; not ${input.status}`,
    );
  }
  const reversal = await em.findOne(Premium, { counterpart: premium, kind: 'reversal', deletedAt: null });
  if (input.status === 'cancelled' && !reversal) {
    await reversePremium(em, { premiumId: premium.id, date: today }, rules);
  } else if (input.status === 'active' && reversal) {
    throw new KingaError('payment-notice.reversal-final', { receipt: premium.receipt }, { field: 'status' });
  }
}
