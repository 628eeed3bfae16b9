import { createHash } from 'node:crypto';
import type { IsoDate } from '../shared/dates.ts';
import { compareMoney, type Money } from '../shared/money.ts';
import { addDays } from '../policy/calendar.ts';
import type { ReviewReason } from './claim.entity.ts';
import type { ClaimReads } from './claim-reads.ts';

/** The scheme's rules for picking claims for medical review (config CLAIM_REVIEW_*). */
export interface ReviewRules {
  samplePercent: number;
  amountAbove?: Money;
  rareServiceLines: number;
  visitsPer30Days: number;
}

/** What the rules look at of one adjudicated claim. */
export interface ReviewCandidate {
  id: string;
  facilityId: string;
  insureeId: string;
  dateFrom: IsoDate;
  benefit: Money;
  serviceIds: string[];
}

/**
 * Why a claim should be reviewed, if at all: a random sample (reproducible: drawn from the claim's
 * id, so the same claim is always in or out), a benefit above the threshold, a service the scheme
 * has rarely accepted, or a patient seen unusually often at the same facility. Nepal reviews ~7 k
 * of 30–40 k claims a day: the rules pick the risky few, the rest are approved automatically.
 * Each read is bounded (an index range with a limit), whatever the claim history's size. Runs
 * before the claim is stored.
 */
export async function reviewReasonsFor(
  reads: Pick<ClaimReads, 'reviewCounts'>,
  claim: ReviewCandidate,
  rules: ReviewRules,
): Promise<ReviewReason[]> {
  const reasons: ReviewReason[] = [];
  if (rules.samplePercent > 0 && drawOf(claim.id) < rules.samplePercent * 100) {
    reasons.push('sample');
  }
  if (rules.amountAbove !== undefined && compareMoney(claim.benefit, rules.amountAbove) > 0) {
    reasons.push('amount');
  }
  const services = [...new Set(claim.serviceIds)];
  const rare = rules.rareServiceLines > 0 && services.length > 0;
  const frequent = rules.visitsPer30Days > 0;
  if (rare || frequent) {
    // One statement for both rules, each count bounded by an index range and a limit: a
    // service's stops at the threshold however often a common service was given, and so does the
    // patient's count of recent visits. The claim is not stored yet: it is one more visit.
    const counts = await reads.reviewCounts({
      serviceIds: rare ? services : [],
      rareBelow: rules.rareServiceLines,
      insureeId: claim.insureeId,
      facilityId: claim.facilityId,
      from: addDays(claim.dateFrom, -30),
      to: claim.dateFrom,
      visitsUpTo: frequent ? rules.visitsPer30Days : 0,
    });
    if (rare && counts.rare) {
      reasons.push('rare-service');
    }
    if (frequent && counts.recent + 1 >= rules.visitsPer30Days) {
      reasons.push('frequency');
    }
  }
  return reasons;
}

/** A number in [0, 10000) drawn from the claim id. */
function drawOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % 10_000;
}
