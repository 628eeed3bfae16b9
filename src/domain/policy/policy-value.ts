import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import {
  addMoney,
  compareMoney,
  multiplyMoney,
  percentOf,
  subtractMoney,
  ZERO,
  type Money,
} from '../shared/money.ts';
import { addDays, addMonths } from './calendar.ts';
import { isAdultOn } from './policy-dates.ts';
import type { PolicyStage } from './policy.entity.ts';

/** openIMIS relation 7 "other": a member outside the household core, never covered by the lump sum. */
export const OTHER_RELATION = '7';

/** The pricing levers of a product (openimis.md §1.3); a Product entity fits. */
export interface PricingTerms {
  lumpSum?: Money | null;
  /** Members the lump sum covers; none (or 0) means the whole family. */
  threshold?: number | null;
  maxMembers?: number | null;
  premiumAdult: Money;
  premiumChild: Money;
  registrationLumpSum?: Money | null;
  registrationFee?: Money | null;
  generalAssemblyLumpSum?: Money | null;
  generalAssemblyFee?: Money | null;
  enrolmentDiscountPercent?: Money | null;
  enrolmentDiscountPeriodMonths?: number | null;
  renewalDiscountPercent?: Money | null;
  renewalDiscountPeriodMonths?: number | null;
  /** Only whether there are cycles matters here: the enrolment discount rewards enrolling before one. */
  startCycles: readonly string[];
}

export interface PricedMember {
  birthDate?: IsoDate | null;
  /** openIMIS relation code to the head; '7' is "other". */
  relationship?: string | null;
}

export interface ValueRequest {
  stage: PolicyStage;
  enrolDate: IsoDate;
  /** Ages are taken on this day (see `policyValue`). */
  startDate: IsoDate;
  /** Renewals: the renewed policy's last day, for the renewal discount. */
  previousExpiryDate?: IsoDate | null;
  ageOfMajority: number;
}

/** How the value was reached: what an officer reads out to the family, and what a Contract shows. */
export interface PolicyValue {
  value: Money;
  adults: number;
  children: number;
  /** Of `adults`/`children`: core members paying per head (beyond the threshold, or all without a lump sum). */
  extraAdults: number;
  extraChildren: number;
  /** Of `adults`/`children`: "other" relations, always paying the per-head premium. */
  otherAdults: number;
  otherChildren: number;
  contribution: Money;
  generalAssembly: Money;
  registration: Money;
  discountPercent: Money;
  discount: Money;
}

function present(amount: Money | null | undefined): amount is Money {
  return amount != null && compareMoney(amount, ZERO) !== 0;
}

/**
 * What a family owes for one policy (openimis.md §2.1), exact to the cent.
 *
 * - Adults and children are told apart by the age of majority on the policy's **start date**:
 *   the premium buys the period that begins then, and the answer no longer depends on the day
 *   someone recomputes it (openIMIS uses "today", so a value drifts as members age, and a renewal
 *   keyed in early prices as a child a member who is adult when the renewed cover starts).
 * - With a lump sum, it covers up to `threshold` core members, adults first, then children; the
 *   others pay `premiumAdult`/`premiumChild`. Without a lump sum everyone pays per head.
 * - "Other" relations always pay per head (openIMIS compares a Relation object with 7, so it
 *   never finds them and lets them ride on the lump sum).
 * - A family larger than `maxMembers` is refused; openIMIS prices the first `maxMembers`
 *   and silently leaves the rest uninsured.
 * - Registration (new policies only) and general assembly (every policy): the lump sum when
 *   set, else the fee per member.
 * - Discount on the whole value, rounded to the cent: enrolment discount when a new policy of a
 *   product with cycles is enrolled at least N months before its cycle start; renewal discount
 *   when renewed at least N months before the previous expiry + 1 day.
 */
export function policyValue(
  terms: PricingTerms,
  members: readonly PricedMember[],
  request: ValueRequest,
): PolicyValue {
  if (terms.maxMembers != null && members.length > terms.maxMembers) {
    throw new KingaError(
      'policy.family-too-large',
      { count: members.length, max: terms.maxMembers },
      { field: 'members' },
    );
  }
  let adults = 0;
  let children = 0;
  let otherAdults = 0;
  let otherChildren = 0;
  for (const member of members) {
    const adult = isAdultOn(member.birthDate, request.startDate, request.ageOfMajority);
    const other = member.relationship === OTHER_RELATION;
    if (adult) {
      adults += 1;
      otherAdults += other ? 1 : 0;
    } else {
      children += 1;
      otherChildren += other ? 1 : 0;
    }
  }
  const coreAdults = adults - otherAdults;
  const coreChildren = children - otherChildren;

  let contribution: Money;
  let extraAdults: number;
  let extraChildren: number;
  if (present(terms.lumpSum)) {
    const threshold = terms.threshold ? terms.threshold : coreAdults + coreChildren;
    extraAdults = Math.max(0, coreAdults - threshold);
    extraChildren = Math.max(0, coreChildren - Math.max(0, threshold - coreAdults));
    contribution = addMoney(
      terms.lumpSum,
      multiplyMoney(terms.premiumAdult, extraAdults + otherAdults),
      multiplyMoney(terms.premiumChild, extraChildren + otherChildren),
    );
  } else {
    extraAdults = coreAdults;
    extraChildren = coreChildren;
    contribution = addMoney(
      multiplyMoney(terms.premiumAdult, adults),
      multiplyMoney(terms.premiumChild, children),
    );
  }

  const generalAssembly = present(terms.generalAssemblyLumpSum)
    ? terms.generalAssemblyLumpSum
    : multiplyMoney(terms.generalAssemblyFee ?? ZERO, members.length);
  const registration =
    request.stage !== 'N'
      ? ZERO
      : present(terms.registrationLumpSum)
        ? terms.registrationLumpSum
        : multiplyMoney(terms.registrationFee ?? ZERO, members.length);
  const gross = addMoney(contribution, generalAssembly, registration);
  const discountPercent = discountFor(terms, request);
  const discount = percentOf(gross, discountPercent);
  return {
    value: subtractMoney(gross, discount),
    adults,
    children,
    extraAdults,
    extraChildren,
    otherAdults,
    otherChildren,
    contribution: addMoney(contribution),
    generalAssembly: addMoney(generalAssembly),
    registration: addMoney(registration),
    discountPercent: addMoney(discountPercent),
    discount,
  };
}

/** The discount percentage earned by enrolling or renewing early enough, else 0. */
function discountFor(terms: PricingTerms, request: ValueRequest): Money {
  if (request.stage === 'N') {
    const percent = terms.enrolmentDiscountPercent;
    const months = terms.enrolmentDiscountPeriodMonths;
    if (!present(percent) || !months || terms.startCycles.length === 0) {
      return ZERO;
    }
    return request.enrolDate <= addMonths(request.startDate, -months) ? percent : ZERO;
  }
  const percent = terms.renewalDiscountPercent;
  const months = terms.renewalDiscountPeriodMonths;
  if (!present(percent) || !months || !request.previousExpiryDate) {
    return ZERO;
  }
  return request.enrolDate <= addMonths(addDays(request.previousExpiryDate, 1), -months) ? percent : ZERO;
}
