import type { EntityManager } from '@mikro-orm/core';
import { LockMode } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { isMoney, normaliseMoney } from '../shared/money.ts';
import { addDays } from '../policy/calendar.ts';
import { adjudicateClaim, USAGE_WINDOW_DAYS } from './adjudicate-claim.ts';
import type { ResolvedLine } from './check-claim-lines.ts';
import type { ClaimReads } from './claim-reads.ts';
import { Claim } from './claim.entity.ts';
import type { LineReview } from './claim-input.ts';
import { recordClaimUsage, takeBackClaimUsage, writeAdjudication } from './record-adjudication.ts';
import { approve } from './settle-claim.ts';

export interface ReviewInput {
  lines: LineReview[];
  justification: string;
  reviewer: string;
}

/**
 * A medical officer's review (openIMIS review delivery, openimis.md §2.3): lines rejected (reason
 * −1) or given another quantity or unit price, with a justification. The claim is judged and
 * valued again with those decisions, on a ledger without its own earlier usage (taken back), and
 * then recorded again and approved. Only a claim not yet valuated can be reviewed; its previous
 * ClaimResponse stays in the history.
 */
export async function reviewClaim(
  em: EntityManager,
  reads: ClaimReads,
  claimId: string,
  input: ReviewInput,
  rules: { ageOfMajority: number },
): Promise<Claim> {
  const claim = await em.findOne(
    Claim,
    { id: claimId, deletedAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!claim) {
    throw new KingaError('fhir.not-found', { type: 'Claim', id: claimId });
  }
  if (claim.status !== 'checked' && claim.status !== 'processed') {
    throw new KingaError('claim.not-reviewable', { status: claim.status });
  }
  await em.populate(claim, ['lines', 'facility']);
  const lines = claim.orderedLines();
  input.lines.forEach((review, index) => {
    if (!lines.some((l) => l.sequence === review.sequence)) {
      throw new KingaError(
        'claim.review-line-unknown',
        { sequence: review.sequence },
        { field: `lines.${index}` },
      );
    }
    if (review.quantity !== undefined && (!Number.isInteger(review.quantity) || review.quantity < 0)) {
      throw new KingaError(
        'claim.quantity-invalid',
        { quantity: review.quantity },
        { field: `lines.${index}.quantity` },
      );
    }
    if (review.unitPrice !== undefined && (!isMoney(review.unitPrice) || review.unitPrice.startsWith('-'))) {
      throw new KingaError(
        'claim.price-invalid',
        { price: review.unitPrice },
        { field: `lines.${index}.unitPrice` },
      );
    }
  });
  if (!input.justification.trim()) {
    throw new KingaError('claim.review-justification', {}, { field: 'justification' });
  }
  const reviews = new Map(input.lines.map((r) => [r.sequence, r]));
  const found = await reads.patientAndRequested({
    itemCodes: [],
    serviceCodes: [],
    itemIds: lines.filter((l) => l.item).map((l) => l.item!.id),
    serviceIds: lines.filter((l) => l.service).map((l) => l.service!.id),
    patient: { id: claim.insuree.id },
    from: addDays(claim.dateFrom, -USAGE_WINDOW_DAYS),
    to: claim.dateTo ?? claim.dateFrom,
  });
  const resolved = lines.map((line): ResolvedLine => {
    const id = (line.item ?? line.service)!.id;
    const record = (line.kind === 'item' ? found.items : found.services).find((r) => r.id === id);
    if (!record) {
      throw new KingaError(
        'claim.line-target-unknown',
        { kind: line.kind, key: id },
        { field: `lines.${line.sequence - 1}` },
      );
    }
    const review = reviews.get(line.sequence);
    // A quantity of 0 is a rejection by the reviewer.
    const reject = review?.reject === true || review?.quantity === 0;
    return {
      sequence: line.sequence,
      kind: line.kind,
      record,
      quantity: line.quantity,
      priceAsked: line.priceAsked,
      review: {
        ...(reject ? { reject: true } : {}),
        ...((review?.quantity ?? line.quantityApproved) != null && !reject
          ? { quantity: review?.quantity ?? line.quantityApproved! }
          : {}),
        ...((review?.unitPrice ?? line.priceApproved) != null
          ? { unitPrice: normaliseMoney(review?.unitPrice ?? line.priceApproved!) }
          : {}),
      },
    };
  });
  await takeBackClaimUsage(em, claim);
  const result = await adjudicateClaim(
    em,
    reads,
    {
      dateFrom: claim.dateFrom,
      dateTo: claim.dateTo ?? null,
      dateClaimed: claim.dateClaimed,
      visitType: claim.visitType,
      facility: claim.facility,
      insuree: found.patient!.insuree,
      covers: found.patient!.covers,
      lines: resolved,
      claimId: claim.id,
    },
    rules,
  );
  for (const line of lines) {
    const review = reviews.get(line.sequence);
    if (review?.unitPrice !== undefined) {
      line.priceApproved = normaliseMoney(review.unitPrice);
    }
    if (review?.justification !== undefined) {
      line.justification = review.justification;
    }
  }
  writeAdjudication(em, claim, lines, result);
  claim.reviewStatus = 'delivered';
  claim.reviewJustification = input.justification;
  claim.reviewedBy = input.reviewer;
  if (!claim.isRejected()) {
    approve(claim, lines);
    await recordClaimUsage(em, claim, lines, result.valuation.uses);
  }
  return claim;
}
