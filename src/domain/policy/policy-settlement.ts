import type { IsoDate } from '../shared/dates.ts';
import { compareMoney, fromMinor, toMinor, ZERO, type Money } from '../shared/money.ts';
import { laterOf } from './calendar.ts';
import type { PolicyStatus } from './policy.entity.ts';

/**
 * What full payment does to an idle policy (openIMIS activation options 1 and 3): activate it
 * at once, or mark it ready for an officer to activate by hand.
 */
export const ActivationOptions = ['on-payment', 'manual'] as const;
export type ActivationOption = (typeof ActivationOptions)[number];

/** One premium ledger entry, signed: payments and credits in are positive, reversals and credits out negative. */
export interface LedgerEntry {
  amount: Money;
  payDate: IsoDate;
}

/** One member's cover under the policy (an InsureePolicy). */
export interface MemberCover {
  /** The policy's total payments at which this member is covered. */
  coverThreshold: Money;
  startDate: IsoDate;
  effectiveDate: IsoDate | null;
}

export interface SettlementInput {
  status: PolicyStatus;
  effectiveDate: IsoDate | null;
  startDate: IsoDate;
  value: Money;
  members: readonly MemberCover[];
  /** In recording order; ties on the pay date keep it. */
  ledger: readonly LedgerEntry[];
  activation: ActivationOption;
}

/** Where a policy's money stands. */
export interface PolicyAccount {
  /** Σ ledger. */
  paid: Money;
  /** What is still owed: value − paid, never negative. */
  balance: Money;
  /** What was paid beyond the value: paid − value, never negative. Kept, never dropped. */
  credit: Money;
}

export interface Settlement extends PolicyAccount {
  status: PolicyStatus;
  effectiveDate: IsoDate | null;
  /** Per member, in the order given. */
  memberEffectiveDates: (IsoDate | null)[];
}

/** The account of a policy of `value` whose ledger holds `amounts` (signed). */
export function accountOf(value: Money, amounts: readonly Money[]): PolicyAccount {
  const paid = amounts.reduce((sum, amount) => sum + toMinor(amount), 0n);
  const due = toMinor(value);
  return {
    paid: fromMinor(paid),
    balance: paid < due ? fromMinor(due - paid) : ZERO,
    credit: paid > due ? fromMinor(paid - due) : ZERO,
  };
}

/**
 * The day the running total of the ledger (by pay date) last rose to `threshold` and stayed
 * there: `{ since: null }` when it was reached before any payment (nothing owed), undefined
 * when the ledger does not reach it now.
 */
export function reachedOn(
  ledger: readonly LedgerEntry[],
  threshold: Money,
): { since: IsoDate | null } | undefined {
  const target = toMinor(threshold);
  const ordered = [...ledger].sort((a, b) => (a.payDate < b.payDate ? -1 : a.payDate > b.payDate ? 1 : 0));
  let total = 0n;
  let since: IsoDate | null = null;
  for (const entry of ordered) {
    const before = total >= target;
    total += toMinor(entry.amount);
    if (!before && total >= target) {
      since = entry.payDate;
    }
  }
  return total >= target ? { since } : undefined;
}

/** The later of the dates given (nulls ignored). */
function latest(...dates: (IsoDate | null | undefined)[]): IsoDate {
  return dates.filter((d): d is IsoDate => d != null).reduce(laterOf);
}

/**
 * A policy's status, dates and amounts as its premium ledger makes them (openimis.md §2.1, with
 * the decisions below). It is recomputed after every ledger entry and every change of value, so
 * a reversal is just one more entry.
 *
 * - The policy is covered once the ledger reaches the lowest cover threshold of its members (the
 *   value as it stood before any member joined an active policy; see addMemberToPolicy).
 * - Idle or suspended and covered: active from the later of the day payment was complete and the
 *   start date, or ready (no effective date yet) when activation is manual. A suspended policy
 *   paid in full is reinstated: suspension is for not paying, and the family has paid.
 * - Active or ready and no longer covered (a payment was reversed: a bounced cheque, a mobile
 *   money chargeback): back to idle, effective date cleared. Keeping it active would give cover
 *   nobody paid for; as idle, the payment grace period and suspension apply as to any unpaid
 *   policy, and paying again activates it from that payment.
 * - Active and still covered: unchanged; its effective date (from payment, or from the officer's
 *   manual activation) stays, so claims already judged against it stay right.
 * - Expired: the ledger still changes the amounts (a refund is a reversal) but not the status.
 * - A member is covered while the policy is active and the ledger reaches the member's own
 *   threshold: from the later of the policy's effective date, the day that threshold was reached
 *   and the member's start date.
 * - Anything paid beyond the value is credit, carried to the renewal.
 */
export function settle(input: SettlementInput): Settlement {
  const amounts = accountOf(
    input.value,
    input.ledger.map((entry) => entry.amount),
  );

  if (input.status === 'expired') {
    return {
      ...amounts,
      status: input.status,
      effectiveDate: input.effectiveDate,
      memberEffectiveDates: input.members.map((m) => m.effectiveDate),
    };
  }

  const activationThreshold = input.members
    .map((m) => m.coverThreshold)
    .reduce((low, t) => (compareMoney(t, low) < 0 ? t : low), input.value);
  const reached = reachedOn(input.ledger, activationThreshold);

  let status: PolicyStatus = input.status;
  let effectiveDate = input.effectiveDate;
  if (!reached) {
    if (status === 'active' || status === 'ready') {
      status = 'idle';
    }
    effectiveDate = null;
  } else if (status === 'idle' || status === 'suspended') {
    status = input.activation === 'on-payment' ? 'active' : 'ready';
    effectiveDate = status === 'active' ? latest(reached.since, input.startDate) : null;
  } else if (status === 'active') {
    effectiveDate ??= latest(reached.since, input.startDate);
  }

  const memberEffectiveDates = input.members.map((member) => {
    if (status !== 'active') {
      return null;
    }
    const own = reachedOn(input.ledger, member.coverThreshold);
    if (!own) {
      return null;
    }
    return member.effectiveDate ?? latest(effectiveDate, own.since, member.startDate);
  });
  return { ...amounts, status, effectiveDate, memberEffectiveDates };
}
