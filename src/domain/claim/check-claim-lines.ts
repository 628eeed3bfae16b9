import type { IsoDate } from '../shared/dates.ts';
import type { FacilityPrice } from '../medical/facility-price.ts';
import { patientCategoryAllows } from '../medical/medical-codes.ts';
import { isWithin } from '../medical/medical-rules.ts';
import type { ServiceCategory } from '../medical/medical-service.entity.ts';
import type { Organisation } from '../organisation/organisation.entity.ts';
import { addDays } from '../policy/calendar.ts';
import type { LimitedCategory } from '../product/product.entity.ts';
import { categoryCodes, countBenefits } from '../eligibility/benefit-limits.ts';
import { standingOn, waitingUntil } from '../eligibility/cover-standing.ts';
import type {
  CoverageLine,
  CoverRow,
  EnquiredInsuree,
  RequestedItem,
  RequestedService,
  UsageRow,
} from '../eligibility/eligibility-reads.ts';
import { lastGiven, quantityGiven } from '../eligibility/usage-totals.ts';
import type { ClaimLineKind } from './claim.entity.ts';
import { patientShareOf, unitPriceOf, limitationOf } from './line-price.ts';
import { categoryCountReasons, RejectionReasons } from './rejection-reasons.ts';

/** A claim line with the item or service it names, read with the patient. */
export interface ResolvedLine {
  sequence: number;
  kind: ClaimLineKind;
  record: RequestedItem | RequestedService;
  quantity: number;
  priceAsked: string;
  /** A medical officer's decision (review reruns the rules with it). */
  review?: { reject?: boolean; quantity?: number; unitPrice?: string };
}

/** Everything the rules read for one claim: no query is made while checking. */
export interface ClaimFacts {
  dateFrom: IsoDate;
  dateTo: IsoDate | null;
  dateClaimed: IsoDate;
  insuree: EnquiredInsuree;
  adult: boolean;
  facility: Pick<Organisation, 'careType' | 'level'>;
  visitType: 'other' | 'referral' | 'emergency';
  /** The member's covers overlapping the claim's dates. */
  covers: CoverRow[];
  lines: ResolvedLine[];
  /** The member's ledger entries under those covers (a claim under review: without its own). */
  usage: UsageRow[];
  /** Product lines by `productId targetId`. */
  coverage: Map<string, CoverageLine>;
  /** The facility's price of each target, by its id (absent: not in its price list). */
  prices: Map<string, FacilityPrice>;
}

export type LineVerdict =
  | { sequence: number; accepted: false; reason: number }
  | {
      sequence: number;
      accepted: true;
      quantity: number;
      cover: CoverRow;
      coverage: CoverageLine;
    };

/** The claim's service category: the first of S, D, A, H (a stay of a night or more), C, O given, else V. */
export function claimCategory(facts: Pick<ClaimFacts, 'dateFrom' | 'dateTo' | 'lines'>): ServiceCategory {
  const given = new Set(
    facts.lines.filter((l) => l.kind === 'service').map((l) => (l.record as RequestedService).category),
  );
  const stay = isStay(facts);
  for (const category of ['S', 'D', 'A', 'H', 'C', 'O'] as const) {
    if (given.has(category) && (category !== 'H' || stay)) {
      return category;
    }
  }
  return 'V';
}

/** The day the claim is judged on: its end, else its start (openIMIS target date). */
export function targetDateOf(facts: Pick<ClaimFacts, 'dateFrom' | 'dateTo'>): IsoDate {
  return facts.dateTo ?? facts.dateFrom;
}

/** In-patient by the claim's dates: a stay of at least one night. */
export function isStay(facts: Pick<ClaimFacts, 'dateFrom' | 'dateTo'>): boolean {
  return facts.dateTo != null && facts.dateTo > facts.dateFrom;
}

/**
 * The rules of openIMIS's submission check (openimis.md §2.3), in its order, with the first failure
 * of each line as its rejection reason. Claim level first: the claim date not before the treatment
 * (9) and a cover in force over the treatment's dates (7) reject every line. Then per line: valid
 * on the date (1), in the facility's price list (2), care type (10), patient category (4),
 * frequency (5), a product covering it (3), waiting period (17), provisions left (16: a quantity
 * partly left is reduced, not rejected), and for services the claim count of the claim's category
 * (11–15, 19). Unlike openIMIS, a line covered by several products is judged under each and takes
 * the one that passes and leaves the patient least to pay.
 */
export function checkClaimLines(
  facts: ClaimFacts,
  category: ServiceCategory = claimCategory(facts),
): LineVerdict[] {
  const target = targetDateOf(facts);
  const reject = (reason: number): LineVerdict[] =>
    facts.lines.map((l) => ({ sequence: l.sequence, accepted: false, reason }));
  if (facts.dateClaimed < facts.dateFrom) {
    return reject(RejectionReasons.targetDate);
  }
  const inForce = facts.covers.filter(
    (c) => standingOn(c, facts.dateFrom) === null && standingOn(c, target) === null,
  );
  if (inForce.length === 0) {
    return reject(RejectionReasons.family);
  }
  const limited = (Object.entries(categoryCodes) as [LimitedCategory, ServiceCategory][]).find(
    ([, code]) => code === category,
  )?.[0];
  // Quantities given by earlier lines of this claim count against limits like those in the ledger.
  const givenHere = new Map<string, number>();
  return facts.lines.map((line): LineVerdict => {
    const reason = firstLineFailure(facts, line, target);
    if (reason !== null) {
      return { sequence: line.sequence, accepted: false, reason };
    }
    if (line.review?.reject) {
      return { sequence: line.sequence, accepted: false, reason: RejectionReasons.reviewer };
    }
    const wanted = line.review?.quantity ?? line.quantity;
    const judged = inForce
      .map((cover) => judgeUnder(facts, line, cover, target, wanted, givenHere, limited))
      .filter((j) => j !== null);
    if (judged.length === 0) {
      return { sequence: line.sequence, accepted: false, reason: RejectionReasons.noProduct };
    }
    const passing = judged.filter((j) => j.reason === null);
    if (passing.length === 0) {
      return { sequence: line.sequence, accepted: false, reason: Math.min(...judged.map((j) => j.reason!)) };
    }
    const best = passing.reduce((a, b) => (b.share < a.share ? b : a));
    const key = `${line.kind} ${line.record.id}`;
    givenHere.set(key, (givenHere.get(key) ?? 0) + best.quantity);
    return {
      sequence: line.sequence,
      accepted: true,
      quantity: best.quantity,
      cover: best.cover,
      coverage: best.coverage,
    };
  });
}

/** The rules that do not depend on the product: 1, 2, 10, 4, 5 in openIMIS's order. */
function firstLineFailure(facts: ClaimFacts, line: ResolvedLine, target: IsoDate): number | null {
  const { record } = line;
  if (!isWithin(target, record.validFrom, record.validTo)) {
    return RejectionReasons.invalidItemOrService;
  }
  if (!facts.prices.has(record.id)) {
    return RejectionReasons.notInPriceList;
  }
  const facilityCare = facts.facility.careType;
  const stay = isStay(facts);
  if (
    (facilityCare === 'O' && (record.careType === 'I' || stay)) ||
    (facilityCare === 'I' && record.careType === 'O')
  ) {
    return RejectionReasons.careType;
  }
  if (!patientCategoryAllows(record.patientCategory, { sex: facts.insuree.gender, adult: facts.adult })) {
    return RejectionReasons.patientCategory;
  }
  if (record.frequencyDays) {
    const last = lastGiven(facts.usage, line.kind, record.id, facts.dateFrom);
    if (last !== undefined && facts.dateFrom < addDays(last, record.frequencyDays)) {
      return RejectionReasons.frequency;
    }
  }
  return null;
}

/**
 * The line under one cover: null when its product does not cover the target; else the first
 * failure of 17, 16 and the category count, or the quantity allowed and the patient's share.
 */
function judgeUnder(
  facts: ClaimFacts,
  line: ResolvedLine,
  cover: CoverRow,
  target: IsoDate,
  wanted: number,
  givenHere: Map<string, number>,
  limited: LimitedCategory | undefined,
): {
  reason: number | null;
  quantity: number;
  share: bigint;
  cover: CoverRow;
  coverage: CoverageLine;
} | null {
  const coverage = facts.coverage.get(`${cover.policy.product.id} ${line.record.id}`);
  if (!coverage) {
    return null;
  }
  const judged = (reason: number | null, quantity = wanted) => {
    const price = line.review?.unitPrice ?? unitPriceOf(coverage, facts.prices.get(line.record.id)!, line);
    const limitation = limitationOf(coverage, facts.visitType, facts.adult);
    return { reason, quantity, share: patientShareOf(price, quantity, limitation), cover, coverage };
  };
  const until = waitingUntil(cover, coverage, facts.adult);
  if (until !== null && target < until) {
    return judged(RejectionReasons.waitingPeriod);
  }
  const mine = facts.usage.filter(
    (u) => u.policy.id === cover.policy.id && u.insuree.id === facts.insuree.id,
  );
  const allowed = facts.adult ? coverage.maxProvisionsAdult : coverage.maxProvisionsChild;
  let quantity = wanted;
  if (allowed != null) {
    const used =
      quantityGiven(mine, line.kind, line.record.id) + (givenHere.get(`${line.kind} ${line.record.id}`) ?? 0);
    const left = allowed - used;
    if (left <= 0) {
      return judged(RejectionReasons.quantityOverLimit);
    }
    quantity = Math.min(quantity, left);
  }
  if (line.kind === 'service' && limited) {
    const count = countBenefits(cover.policy.product, mine).find((c) => c.category === limited);
    if (count?.remaining === 0) {
      return judged(categoryCountReasons[limited]);
    }
  }
  return judged(null, quantity);
}
