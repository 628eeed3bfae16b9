import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { subtractMoney, type Money } from '../shared/money.ts';
import { findLiveInsuree } from '../insuree/insuree.repository.ts';
import { laterOf } from './calendar.ts';
import { InsureePolicy } from './insuree-policy.entity.ts';
import { assertDate } from './issue-policy.ts';
import { openBook } from './policy-book.ts';
import type { PolicyRules } from './policy-rules.ts';
import { policyValue, type PolicyValue } from './policy-value.ts';
import { allocate, type PremiumAllocation } from './premium-allocation.ts';

export interface NewMemberInput {
  policyId: string;
  /** An active member of the policy's family (admitted to it beforehand). */
  insureeId: string;
  /** When the member joins; cover never begins before it. */
  joinDate: IsoDate;
}

export interface NewMemberCover extends PremiumAllocation {
  member: InsureePolicy;
  /** How the new value was reached. */
  value: PolicyValue;
  /** What the member adds to the policy's value (0 within the lump sum's threshold). */
  extraPremium: Money;
}

/**
 * Puts a new family member on a policy. The value is recomputed with the member, on the same
 * terms as the policy's (same start date for ages, same stage and discount), and the member's
 * extra premium is added to the balance.
 *
 * - Active (or ready) policy: the others keep their cover; the newcomer is covered once the
 *   ledger reaches the new value, i.e. once the extra premium is paid (at once when the lump sum
 *   already covers them, or an existing credit pays it), and never before the join date.
 * - Idle or suspended policy: nobody is covered yet, so the newcomer simply joins the founding
 *   members, all of whom are covered when the whole new value is paid.
 */
export async function addMemberToPolicy(
  em: EntityManager,
  input: NewMemberInput,
  rules: PolicyRules,
): Promise<NewMemberCover> {
  assertDate(input.joinDate, 'joinDate');
  const book = await openBook(em, input.policyId);
  const { policy } = book;
  if (policy.hasExpired()) {
    throw new KingaError('policy.expired', { id: policy.id }, { field: 'policy' });
  }
  if (input.joinDate < policy.enrolDate || input.joinDate > policy.expiryDate) {
    throw new KingaError(
      'policy.join-date-outside-period',
      { date: input.joinDate, enrolDate: policy.enrolDate, expiryDate: policy.expiryDate },
      { field: 'joinDate' },
    );
  }
  const insuree = await findLiveInsuree(em, input.insureeId, 'insuree');
  if (insuree.family?.id !== policy.family.id) {
    throw new KingaError(
      'policy.member-not-in-family',
      { number: insuree.insuranceNumber },
      { field: 'insuree' },
    );
  }
  if (insuree.status !== 'AC') {
    throw new KingaError('policy.member-inactive', { number: insuree.insuranceNumber }, { field: 'insuree' });
  }
  if (book.members.some((m) => m.insuree.id === insuree.id)) {
    throw new KingaError(
      'policy.member-already-covered',
      { key: insuree.insuranceNumber },
      { field: 'insuree' },
    );
  }

  const value = policyValue(policy.product, [...book.members.map((m) => m.insuree), insuree], {
    stage: policy.stage,
    enrolDate: policy.enrolDate,
    startDate: policy.startDate,
    previousExpiryDate: policy.previous?.expiryDate ?? null,
    ageOfMajority: rules.ageOfMajority,
  });
  const extraPremium = subtractMoney(value.value, policy.value);
  const covering = policy.status === 'active' || policy.status === 'ready';
  if (!covering) {
    for (const founder of book.members) {
      founder.coverThreshold = value.value;
    }
  }
  policy.value = value.value;
  const member = em.create(InsureePolicy, {
    insuree,
    policy,
    enrolDate: input.joinDate,
    startDate: laterOf(input.joinDate, policy.startDate),
    effectiveDate: null,
    expiryDate: policy.expiryDate,
    coverThreshold: value.value,
  });
  book.members.push(member);
  return { member, value, extraPremium, ...allocate(book, rules) };
}
