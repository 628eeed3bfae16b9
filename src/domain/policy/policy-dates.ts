import type { IsoDate } from '../shared/dates.ts';
import { addDays, addMonths, dayOfYear, laterOf, yearOf } from './calendar.ts';

/** The levers of a product that place a policy in time (openimis.md §1.3). */
export interface PeriodTerms {
  insurancePeriodMonths: number;
  administrationPeriodMonths: number;
  /** DD-MM; none means free enrolment. */
  startCycles: readonly string[];
  gracePeriodEnrolmentMonths: number;
  gracePeriodRenewalMonths: number;
  gracePeriodPaymentMonths: number;
}

export type StartRequest =
  | { stage: 'N'; enrolDate: IsoDate }
  /** `previousExpiryDate`: the renewed policy's last day. */
  | { stage: 'R'; enrolDate: IsoDate; previousExpiryDate: IsoDate };

/**
 * The day a policy's cover may begin (openimis.md §2.1).
 *
 * Reference date: a new policy starts after the administration period (enrol date + that many
 * months); a renewal continues its predecessor (the day after the previous expiry) or, when
 * renewed late, starts on the renewal date. openIMIS starts a renewal on its enrol date, which
 * leaves a gap or an overlap with the cover it renews.
 *
 * Free enrolment starts on the reference date. Fixed cycles start on the first cycle date on or
 * after the reference date minus the grace months (enrolment grace for new policies, renewal grace
 * for renewals), else on the earliest cycle of the next year. openIMIS takes "start_cycle_1" as
 * the next year's first cycle, which is wrong when the cycles are not listed in calendar order.
 */
export function policyStartDate(terms: PeriodTerms, request: StartRequest): IsoDate {
  const reference =
    request.stage === 'N'
      ? addMonths(request.enrolDate, terms.administrationPeriodMonths)
      : laterOf(addDays(request.previousExpiryDate, 1), request.enrolDate);
  if (terms.startCycles.length === 0) {
    return reference;
  }
  const grace = request.stage === 'N' ? terms.gracePeriodEnrolmentMonths : terms.gracePeriodRenewalMonths;
  const earliest = addMonths(reference, -grace);
  const year = yearOf(earliest);
  const thisYear = terms.startCycles.map((cycle) => dayOfYear(cycle, year)).sort();
  const next = thisYear.find((start) => start >= earliest);
  return next ?? terms.startCycles.map((cycle) => dayOfYear(cycle, year + 1)).sort()[0]!;
}

/** The last day of cover: start + insurance period − 1 day (a year from 2024-03-01 ends 2025-02-28). */
export function policyExpiryDate(
  terms: Pick<PeriodTerms, 'insurancePeriodMonths'>,
  startDate: IsoDate,
): IsoDate {
  return addDays(addMonths(startDate, terms.insurancePeriodMonths), -1);
}

/**
 * The last day an unpaid policy may stay idle: its start date + the payment grace period. Counting
 * from the start (not the enrolment, as openIMIS does for new policies) never suspends a policy
 * whose cover has not begun yet because of an administration period; for a renewal the start is
 * the day after the previous expiry, as in openIMIS.
 */
export function paymentDeadline(
  terms: Pick<PeriodTerms, 'gracePeriodPaymentMonths'>,
  startDate: IsoDate,
): IsoDate {
  return addMonths(startDate, terms.gracePeriodPaymentMonths);
}

/**
 * Adult on `date`: the birthday of majority has been reached (on it, not the day after as
 * openIMIS's `dob >= today − 18 years` makes it). A member born on 29 February comes of age on
 * 28 February in a common year. An unknown birth date counts as adult: the full premium, until
 * the birth date is recorded.
 */
export function isAdultOn(
  birthDate: IsoDate | null | undefined,
  date: IsoDate,
  ageOfMajority: number,
): boolean {
  return birthDate == null || addMonths(birthDate, 12 * ageOfMajority) <= date;
}
