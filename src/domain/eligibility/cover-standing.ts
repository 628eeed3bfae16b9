import type { IsoDate } from '../shared/dates.ts';
import type { CoverRow } from './eligibility-reads.ts';
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
