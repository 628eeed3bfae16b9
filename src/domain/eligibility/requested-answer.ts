import type { IsoDate } from '../shared/dates.ts';
import { compareMoney, ZERO } from '../shared/money.ts';
import type { FacilityPrice } from '../medical/facility-price.ts';
import { patientCategoryAllows } from '../medical/medical-codes.ts';
import { isWithin } from '../medical/medical-rules.ts';
import { addDays } from '../policy/calendar.ts';
import { waitingUntil } from './cover-standing.ts';
import { LimitedCategories } from '../product/product.entity.ts';
import { categoryCodes, ceilingReached } from './benefit-limits.ts';
import type {
  AmountBenefit,
  CountBenefit,
  Exclusion,
  GridBenefit,
  RequestedAnswer,
} from './eligibility-result.ts';
import type {
  CoverageLine,
  CoverRow,
  EnquiredFacility,
  EnquiredInsuree,
  RequestedItem,
  RequestedService,
  UsageRow,
} from './eligibility-reads.ts';
import { lastGiven, quantityGiven } from './usage-totals.ts';

export type RequestedTarget =
  | { kind: 'item'; code: string; record: RequestedItem }
  | { kind: 'service'; code: string; record: RequestedService };

/** What the rules of one requested item or service read, for one member's cover. */
export interface RequestedContext {
  date: IsoDate;
  insuree: EnquiredInsuree;
  adult: boolean;
  cover: CoverRow;
  inForce: boolean;
  facility: EnquiredFacility | null;
  /** The product's line for the target, if it covers it. */
  line: CoverageLine | undefined;
  /** The facility's price (undefined: not in its list); without a facility, the register's. */
  price: FacilityPrice | undefined;
  /** The member's entries under this policy, and under every cover listed (frequency). */
  mine: readonly UsageRow[];
  everywhere: readonly UsageRow[];
  counts: readonly CountBenefit[];
  amounts: readonly AmountBenefit[];
  grid: readonly GridBenefit[];
}

/** The facility and the item or service can meet: neither is limited to the other's opposite. */
function careTypesMeet(facility: string | null | undefined, target: string): boolean {
  return !facility || facility === 'B' || target === 'B' || facility === target;
}

/**
 * Covered or excluded, with every reason that applies (openIMIS rejection reasons, §1.5, checked
 * as claim adjudication will check them), the provisions left, the limitation that will apply and
 * the price at the facility. All reasons are listed, not only the first.
 */
export function answerRequested(target: RequestedTarget, context: RequestedContext): RequestedAnswer {
  const { date, cover, line, adult } = context;
  const record = target.record;
  const exclusions: Exclusion[] = [];
  if (!context.inForce) {
    exclusions.push({ reason: 'not-in-force' });
  }
  // The record is live (eligibility-reads.ts): valid on `date` is MedicalItem.isValidOn's window.
  if (!isWithin(date, record.validFrom, record.validTo)) {
    exclusions.push({ reason: 'invalid-item-or-service' });
  }
  if (!line) {
    exclusions.push({ reason: 'not-in-product' });
  }
  const quantityAllowed = line ? ((adult ? line.maxProvisionsAdult : line.maxProvisionsChild) ?? null) : null;
  const quantityUsed = quantityGiven(context.mine, target.kind, record.id);
  const quantityRemaining = quantityAllowed === null ? null : Math.max(0, quantityAllowed - quantityUsed);
  if (line) {
    const until = waitingUntil(cover, line, adult);
    if (until !== null && date < until) {
      exclusions.push({ reason: 'waiting-period', until });
    }
    if (quantityRemaining !== null && quantityRemaining <= 0) {
      exclusions.push({ reason: 'quantity-limit' });
    }
  }
  if (record.frequencyDays) {
    const last = lastGiven(context.everywhere, target.kind, record.id, date);
    const until = last === undefined ? undefined : addDays(last, record.frequencyDays);
    if (until !== undefined && date < until) {
      exclusions.push({ reason: 'frequency', until });
    }
  }
  if (!patientCategoryAllows(record.patientCategory, { sex: context.insuree.gender, adult })) {
    exclusions.push({ reason: 'patient-category' });
  }
  if (context.facility && !careTypesMeet(context.facility.careType, record.careType)) {
    exclusions.push({ reason: 'care-type' });
  }
  if (context.facility && !context.price) {
    exclusions.push({ reason: 'not-in-price-list' });
  }
  if (target.kind === 'service') {
    exclusions.push(...categoryExclusions(target.record, context));
  }
  if (ceilingReached(context.grid, ceilingScopes(record.careType, context.facility))) {
    exclusions.push({ reason: 'ceiling-reached' });
  }
  const limitation = line
    ? {
        type: line.limitationType,
        limit: adult ? line.limitAdult : line.limitChild,
      }
    : null;
  return {
    kind: target.kind,
    code: target.code,
    covered: exclusions.length === 0,
    exclusions,
    quantityAllowed,
    quantityUsed,
    quantityRemaining,
    limitation,
    price: context.price?.price ?? null,
    priceOrigin: context.price?.origin ?? null,
  };
}

/** A service of a limited category is excluded once its claim count or its money is used up. */
function categoryExclusions(service: RequestedService, context: RequestedContext): Exclusion[] {
  const category = LimitedCategories.find((c) => categoryCodes[c] === service.category);
  if (!category) {
    return [];
  }
  const count = context.counts.find((c) => c.category === category);
  const amount = context.amounts.find((a) => a.category === category);
  const countUsedUp = count?.remaining === 0;
  const amountUsedUp = amount?.remaining != null && compareMoney(amount.remaining, ZERO) <= 0;
  return countUsedUp || amountUsedUp ? [{ reason: 'category-limit', category }] : [];
}

/**
 * The ceilings a provision counts against: the general ones always; the in- or out-patient ones
 * when the item or service, or else the facility, is limited to one of them.
 */
function ceilingScopes(careType: string, facility: EnquiredFacility | null): string[] {
  const setting = careType !== 'B' ? careType : facility?.careType !== 'B' ? facility?.careType : undefined;
  return setting === 'I'
    ? ['general', 'inPatient']
    : setting === 'O'
      ? ['general', 'outPatient']
      : ['general'];
}
