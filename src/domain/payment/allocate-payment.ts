import { LockMode, type EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { addMoney, compareMoney, isMoney, ZERO, type Money } from '../shared/money.ts';
import type { PolicyRules } from '../policy/policy-rules.ts';
import { Premium } from '../policy/premium.entity.ts';
import { recordPremium } from '../policy/record-premium.ts';
import { reversePremium } from '../policy/reverse-premium.ts';
import type { PremiumAllocation } from '../policy/premium-allocation.ts';
import { matchPayment } from './match-payment.ts';
import type { PaymentEvent } from './payment-event.ts';
import { PaymentInbox } from './payment-inbox.entity.ts';
import type { PaymentReference } from './payment-reference.entity.ts';
import { OutboundEvent } from './outbound-event.entity.ts';
import type { Policy } from '../policy/policy.entity.ts';

/** What a provider's status API says of a payment it did not sign (trust, but verify). */
export type Verification = 'confirmed' | 'failed' | 'unknown';

export interface AllocationContext {
  rules: PolicyRules;
  today: IsoDate;
}

/** Whether allocating this event waits for the provider's verdict: only money coming in does. */
export function needsVerdict(event: PaymentEvent): boolean {
  return event.status === 'completed';
}

/**
 * Allocates one inbox entry, inside the caller's transaction (which holds the entry's row locked):
 * a completed payment becomes a premium of the policy it matches, through the same use case as a
 * cashier's receipt (partial → idle with its balance, full → active from the later of payment and
 * start, over → credit carried to the renewal); a reversal a compensating entry; a failure is
 * only noted. Unmatched payments stay as exceptions for staff, never dropped. The events for
 * subscribers are written in the same transaction.
 *
 * `verdict` is the provider's word on an unsigned callback's payment (M-Pesa, MTN when
 * configured), asked by the caller before the transaction opened: a status API on a poor network
 * can take seconds, and a transaction held open over it would hold the entry's row and a pooled
 * connection as long. Absent: the callback is trusted as authenticated at the door.
 */
export async function allocatePayment(
  em: EntityManager,
  entry: PaymentInbox,
  context: AllocationContext,
  verdict?: Verification,
): Promise<PaymentInbox['status']> {
  const { event } = entry;
  entry.attempts += 1;
  // Money moves only for a completed payment or a reversal; anything else is noted as failed.
  if (event.status !== 'completed' && event.status !== 'reversed') {
    return finish(entry, 'failed', event.statusReason ?? null);
  }
  if (verdict !== undefined && needsVerdict(event)) {
    if (verdict === 'failed') {
      return finish(entry, 'failed', 'the provider does not confirm this payment');
    }
    if (verdict === 'unknown') {
      // Left received: the next run asks the provider again.
      entry.lastError = 'the provider could not confirm this payment yet';
      return entry.status;
    }
  }
  if (event.status === 'reversed') {
    return reverse(em, entry, context);
  }
  const match = await matchPayment(em, event);
  if (!match) {
    return finish(entry, 'unmatched', 'no payment reference or policy matches');
  }
  return credit(em, entry, match.policy, match.reference, context, match.amountAsked);
}

/**
 * Records the payment on `policy` (also used when staff assign an exception to a reference). A
 * callback that names no amount (Airtel's) is taken to pay `amountAsked`, what Kinga asked for.
 */
export async function credit(
  em: EntityManager,
  entry: PaymentInbox,
  policy: Policy,
  reference: PaymentReference | null,
  context: AllocationContext,
  amountAsked?: Money,
): Promise<PaymentInbox['status']> {
  const { event } = entry;
  const amount = event.amount ?? amountAsked;
  if (!amount || !isMoney(amount) || compareMoney(amount, ZERO) <= 0) {
    return finish(entry, 'unmatched', `the amount ${amount ?? '(none)'} is not a positive amount of money`);
  }
  let allocation: PremiumAllocation & { premium: Premium };
  try {
    allocation = await recordPremium(
      em,
      {
        policyId: policy.id,
        amount,
        payDate: event.occurredAt ?? context.today,
        payType: 'M',
        // The money id when the provider has one behind the request id (M-Pesa receipt behind a
        // CheckoutRequestID, MTN financialTransactionId behind our X-Reference-Id): the payer's receipt.
        receipt: event.providerCorrelationId ?? event.providerTxnId,
        // Stored events come from many providers: a phone number may have arrived as a number.
        payer: event.payer == null ? null : String(event.payer),
      },
      context.rules,
    );
  } catch (error) {
    if (error instanceof KingaError && error.code === 'policy.expired') {
      return finish(entry, 'unmatched', 'the policy has expired: renew it, then assign the payment');
    }
    throw error;
  }
  if (reference) {
    reference.paidAmount = addMoney(reference.paidAmount, amount);
    if (compareMoney(reference.paidAmount, reference.expectedAmount) >= 0) {
      reference.status = 'paid';
    }
  }
  entry.policyId = policy.id;
  entry.premiumId = allocation.premium.id;
  entry.amount = amount;
  announce(em, entry, allocation);
  return finish(entry, 'allocated', null);
}

async function reverse(
  em: EntityManager,
  entry: PaymentInbox,
  context: AllocationContext,
): Promise<PaymentInbox['status']> {
  // A reversal delivered as an event of its own names the payment it takes back as its
  // correlation id (the generic endpoint's `<id>:reversed`: the inbox keeps one row per id).
  const { providerTxnId, providerCorrelationId } = entry.event;
  const receipts = providerCorrelationId ? [providerCorrelationId, providerTxnId] : [providerTxnId];
  // The payment's own inbox entry may be being allocated right now (another worker of the run took
  // it): its lock is waited for, so that its premium, once committed, is found below instead of
  // the reversal going to staff as one of a payment never recorded.
  await em.find(
    PaymentInbox,
    { provider: entry.provider, providerTxnId: { $in: receipts }, id: { $ne: entry.id } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] },
  );
  const payment = await em.findOne(Premium, { receipt: { $in: receipts }, kind: 'payment', deletedAt: null });
  if (!payment) {
    return finish(entry, 'unmatched', 'a reversal of a payment Kinga never recorded');
  }
  const date = entry.event.occurredAt ?? context.today;
  const allocation = await reversePremium(
    em,
    { premiumId: payment.id, date: date < payment.payDate ? payment.payDate : date },
    context.rules,
  );
  entry.policyId = allocation.policy.id;
  entry.premiumId = allocation.reversal.id;
  announce(em, entry, allocation);
  return finish(entry, 'allocated', null);
}

/** payment.received always; policy.activated when it became active; policy.balance-due while owed. */
function announce(em: EntityManager, entry: PaymentInbox, allocation: PremiumAllocation): void {
  const { policy, settlement, previousStatus } = allocation;
  const common = {
    policy: policy.id,
    status: settlement.status,
    balance: settlement.balance,
    credit: settlement.credit,
  };
  em.create(OutboundEvent, {
    type: 'payment.received',
    data: {
      ...common,
      provider: entry.provider,
      transaction: entry.providerTxnId,
      amount: entry.amount ?? entry.event.amount ?? null,
      reversed: entry.event.status === 'reversed',
    },
  });
  if (settlement.status === 'active' && previousStatus !== 'active') {
    em.create(OutboundEvent, {
      type: 'policy.activated',
      data: { ...common, effectiveDate: settlement.effectiveDate },
    });
  }
  if (compareMoney(settlement.balance, ZERO) > 0) {
    em.create(OutboundEvent, { type: 'policy.balance-due', data: common });
  }
}

function finish(
  entry: PaymentInbox,
  status: PaymentInbox['status'],
  error: string | null,
): PaymentInbox['status'] {
  entry.status = status;
  entry.lastError = error;
  entry.processedAt = new Date();
  return status;
}
