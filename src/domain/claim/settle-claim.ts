import type { Claim, ClaimLine } from './claim.entity.ts';
import type { ClaimReads } from './claim-reads.ts';
import { hasRelativePrices } from './record-adjudication.ts';
import { reviewReasonsFor, type ReviewRules } from './review-selection.ts';

/**
 * After the rules: a claim the review rules pick stays checked, selected for a medical officer;
 * any other is approved at once: valuated, or processed when a relative-price line waits for the
 * monthly batch (openimis.md §1.4, §2.3).
 */
export async function settleAfterRules(
  reads: Pick<ClaimReads, 'reviewCounts'>,
  claim: Claim,
  lines: ClaimLine[],
  rules: ReviewRules,
): Promise<void> {
  const reasons = await reviewReasonsFor(
    reads,
    {
      id: claim.id,
      facilityId: claim.facility.id,
      insureeId: claim.insuree.id,
      dateFrom: claim.dateFrom,
      benefit: claim.benefit,
      serviceIds: lines.filter((l) => l.isAccepted() && l.service).map((l) => l.service!.id),
    },
    rules,
  );
  claim.reviewReasons = reasons;
  if (reasons.length > 0) {
    claim.status = 'checked';
    claim.reviewStatus = 'selected';
    return;
  }
  claim.reviewStatus = 'not-selected';
  approve(claim, lines);
}

/** Processed (relative prices pending) or valuated, with what the facility is paid. */
export function approve(claim: Claim, lines: ClaimLine[]): void {
  if (hasRelativePrices(lines)) {
    claim.status = 'processed';
    return;
  }
  claim.status = 'valuated';
  claim.remunerated = claim.benefit;
  claim.valuatedAt = new Date();
  for (const line of lines) {
    line.remunerated = line.isAccepted() ? line.benefit : null;
  }
}
