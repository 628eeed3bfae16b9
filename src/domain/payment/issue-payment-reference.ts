import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { compareMoney, ZERO } from '../shared/money.ts';
import { openLedger, settlementOf } from '../policy/policy-book.ts';
import type { PolicyRules } from '../policy/policy-rules.ts';
import { newReferenceNumber } from './payment-reference-number.ts';
import { PaymentReference, type ReferencePurpose } from './payment-reference.entity.ts';

/**
 * A payment reference for what a policy still owes: its balance now (a new policy, a renewal, or
 * the extra premium of members added). Asking again while the same amount is owed gives the same
 * open reference, so an officer's app retrying does not spread one premium over several numbers.
 * Nothing owed: 422.
 */
export async function issuePaymentReference(
  em: EntityManager,
  input: { policyId: string; purpose?: ReferencePurpose },
  rules: PolicyRules,
): Promise<PaymentReference> {
  const book = await openLedger(em, input.policyId);
  const { balance } = settlementOf(book, rules);
  if (compareMoney(balance, ZERO) <= 0) {
    throw new KingaError('payment.nothing-due', { policy: book.policy.id }, { field: 'policy' });
  }
  const purpose =
    input.purpose ??
    (book.policy.stage === 'R' ? 'renewal' : book.policy.status === 'active' ? 'extra-member' : 'new');
  const open = await em.findOne(PaymentReference, {
    policy: book.policy,
    purpose,
    status: 'open',
    expectedAmount: balance,
    deletedAt: null,
  });
  if (open) {
    return open;
  }
  return em.create(PaymentReference, {
    reference: newReferenceNumber(),
    policy: book.policy,
    purpose,
    expectedAmount: balance,
  } as PaymentReference);
}
