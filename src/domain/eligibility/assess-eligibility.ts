import type { IsoDate } from '../shared/dates.ts';
import { facilityPricesOf, type FacilityPrice } from '../medical/facility-price.ts';
import { isAdultOn } from '../policy/policy-dates.ts';
import { amountBenefits, countBenefits, gridBenefits } from './benefit-limits.ts';
import { standingOn } from './cover-standing.ts';
import type {
  CoverageLine,
  CoverRow,
  EnquiredFacility,
  EnquiredInsuree,
  Ledger,
  UsageRow,
} from './eligibility-reads.ts';
import type { EligibilityAssessment, InsuranceAnswer } from './eligibility-result.ts';
import { answerRequested, type RequestedTarget } from './requested-answer.ts';

export interface EligibilityQuestion {
  insuree: EnquiredInsuree;
  /** The member's covers listed: in force on `date`, or ended or starting within COVER_WINDOW_DAYS. */
  covers: CoverRow[];
  date: IsoDate;
  /** Restricts the answer to what this facility provides (its price lists and care type). */
  facility: EnquiredFacility | null;
  requested: RequestedTarget[];
  /** The ledger under all the covers and the products' lines for what is asked, read with them. */
  ledger: Ledger;
}

/** Covers listed besides those in force: ended within a year, or starting within one. */
export const COVER_WINDOW_DAYS = 366;

/**
 * Is this person covered on the date, by what, and what is left? The member's covers, with their
 * policies and products, and the ledger under them (entries, member counts, the products' lines
 * for what is asked) and the facility's price list lines come with the question, read with the
 * patient in one query. No claim is read: the ledger already holds the usage.
 */
export function assessEligibility(
  question: EligibilityQuestion,
  rules: { ageOfMajority: number },
): EligibilityAssessment {
  const { insuree, covers, date, facility, requested } = question;
  if (covers.length === 0) {
    return { date, insurances: [], errors: ['no-coverage'] };
  }
  const { everywhere, policyWide, members, lines } = usageAndLines(insuree, covers, question.ledger);
  const prices = pricesOf(facility, requested, date);
  const adult = isAdultOn(insuree.birthDate, date, rules.ageOfMajority);

  const insurances = covers.map((cover): InsuranceAnswer => {
    const { policy } = cover;
    const product = policy.product;
    const notInForce = standingOn(cover, date);
    const mine = everywhere.filter((e) => e.policy.id === policy.id);
    const counts = countBenefits(product, mine);
    const amounts = amountBenefits(product, mine);
    const grid = gridBenefits(product, mine, policyWide.get(policy.id) ?? mine, members.get(policy.id) ?? 1);
    return {
      insureePolicyId: cover.id,
      policyId: policy.id,
      productId: product.id,
      productCode: product.code,
      productName: product.name,
      policyStatus: policy.status,
      inForce: notInForce === null,
      notInForce,
      start: cover.startDate,
      end: cover.expiryDate,
      effective: cover.effectiveDate ?? null,
      counts,
      amounts,
      grid,
      requested: requested.map((target) =>
        answerRequested(target, {
          date,
          insuree,
          adult,
          cover,
          inForce: notInForce === null,
          facility,
          line: lines.get(`${product.id} ${target.record.id}`),
          price: prices.get(target.record.id),
          mine,
          everywhere,
          counts,
          amounts,
          grid,
        }),
      ),
    };
  });
  // Those in force first, then the others by start date, latest first.
  insurances.sort((a, b) => Number(b.inForce) - Number(a.inForce));
  const errors = insurances.some((i) => i.inForce) ? [] : (['no-coverage-in-force'] as const);
  return { date, insurances, errors: [...errors] };
}

/** The products' policy-wide amounts need every member's treatments under the policy. */
function hasPolicyWideAmounts({ policy: { product: p } }: CoverRow): boolean {
  return [p.deductiblePerPolicy, p.ceilingPerPolicy].some(
    (row) => row.general != null || row.inPatient != null || row.outPatient != null,
  );
}

/**
 * The ledger as the rules read it: the member's entries under the covers listed, every member's treatments under
 * them (kept for the policies whose product has a per-policy deductible or ceiling), the member
 * count of each policy (read when a policy ceiling grows per member), and the products' lines for
 * what is asked, by `product target`.
 */
function usageAndLines(
  insuree: EnquiredInsuree,
  covers: CoverRow[],
  found: Ledger,
): {
  everywhere: UsageRow[];
  policyWide: Map<string, UsageRow[]>;
  members: Map<string, number>;
  lines: Map<string, CoverageLine>;
} {
  const everywhere = found.usage.filter((e) => e.insuree.id === insuree.id);
  const policyWide = new Map<string, UsageRow[]>(
    covers.filter(hasPolicyWideAmounts).map((c) => [c.policy.id, []]),
  );
  for (const entry of found.usage) {
    if (entry.kind === 'treatment') {
      policyWide.get(entry.policy.id)?.push(entry);
    }
  }
  const lines = new Map(found.lines.map((line) => [`${line.productId} ${line.targetId}`, line]));
  return { everywhere, policyWide, members: found.members, lines };
}

/**
 * The price of each thing asked: at the facility, as facilityPricesOf (facility-price.ts) gives it
 * (absent when not in its lists, or the list does not apply on `date`), else the register's.
 */
function pricesOf(
  facility: EnquiredFacility | null,
  requested: RequestedTarget[],
  date: IsoDate,
): Map<string, FacilityPrice> {
  if (!facility) {
    return new Map(
      requested.map((target) => [target.record.id, { price: target.record.price, origin: 'register' }]),
    );
  }
  return facilityPricesOf(
    facility.lines,
    requested.map((target) => target.record),
    date,
  );
}
