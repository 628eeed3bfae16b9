import type { IsoDate } from '../shared/dates.ts';
import { addMonths } from '../policy/calendar.ts';
import type { CoverageLine, CoverRow } from './eligibility-reads.ts';
import type { NotInForceReason } from './eligibility-result.ts';

/**
 * Whether a member's cover is in force on `date`, and if not why. In force: the policy is active
 * (or has expired since: a past date it covered was covered), the member's own cover has become
 * effective by `date` (a member who joined later counts from their own effective date), and
 * `date` is not past the expiry. openIMIS lists only active policies and says nothing of the others.
 */
export function standingOn(cover: CoverRow, date: IsoDate): NotInForceReason | null {
  const { policy } = cover;
  switch (policy.status) {
    case 'idle':
      return 'policy-idle';
    case 'ready':
      return 'policy-ready';
    case 'suspended':
      return 'policy-suspended';
    case 'active':
    case 'expired':
      break;
  }
  if (date > cover.expiryDate) {
    return policy.status === 'expired' ? 'policy-expired' : 'ended';
  }
  if (date < cover.startDate) {
    return 'not-started';
  }
  if (!cover.effectiveDate) {
    return 'member-not-covered-yet';
  }
  if (date < cover.effectiveDate) {
    return 'not-started';
  }
  return null;
}

/**
 * The first day a product line covers the member under this cover, when a waiting period still
 * applies (null: none). Renewals continue cover: the waiting period runs once, from the member's
 * effective date under a new policy. Eligibility and claims judge it the same way.
 */
export function waitingUntil(
  cover: Pick<CoverRow, 'effectiveDate'> & { policy: Pick<CoverRow['policy'], 'stage'> },
  line: Pick<CoverageLine, 'waitingPeriodAdultMonths' | 'waitingPeriodChildMonths'>,
  adult: boolean,
): IsoDate | null {
  const months = adult ? line.waitingPeriodAdultMonths : line.waitingPeriodChildMonths;
  return months > 0 && cover.policy.stage === 'N' && cover.effectiveDate
    ? addMonths(cover.effectiveDate, months)
    : null;
}
