import {
  compareMoney,
  maxMoney,
  minMoney,
  multiplyMoney,
  addMoney,
  subtractMoney,
  ZERO,
  type Money,
} from '../shared/money.ts';
import {
  AmountScopes,
  LimitedCategories,
  type AmountGrid,
  type LimitedCategory,
} from '../product/product.entity.ts';
import type { ServiceCategory } from '../medical/medical-service.entity.ts';
import type { AmountBenefit, CountBenefit, GridBenefit } from './eligibility-result.ts';
import type { ProductTerms as Product, UsageRow as UsageEntry } from './eligibility-reads.ts';
import { categoryUse, treatmentTotal } from './usage-totals.ts';

/** The service category of the medical register each limited category counts. */
export const categoryCodes: Record<LimitedCategory, ServiceCategory> = {
  consultation: 'C',
  surgery: 'S',
  delivery: 'D',
  hospitalization: 'H',
  visit: 'V',
  antenatal: 'A',
};

const gridFields = {
  deductible: {
    treatment: 'deductiblePerTreatment',
    insuree: 'deductiblePerInsuree',
    policy: 'deductiblePerPolicy',
  },
  ceiling: { treatment: 'ceilingPerTreatment', insuree: 'ceilingPerInsuree', policy: 'ceilingPerPolicy' },
} as const satisfies Record<string, Record<string, AmountGrid>>;

const left = (allowed: Money, used: Money): Money => maxMoney(ZERO, subtractMoney(allowed, used));

/** Per category: claims allowed, used, left (openIMIS total_*_left, with the usage it forgets). */
export function countBenefits(product: Product, mine: readonly UsageEntry[]): CountBenefit[] {
  return LimitedCategories.map((category) => {
    const allowed = product.categoryLimits[`${category}Count`] ?? null;
    const used = categoryUse(mine, categoryCodes[category]).count;
    return { category, allowed, used, remaining: allowed === null ? null : Math.max(0, allowed - used) };
  });
}

/** Per category with a money limit: allowed, paid so far, left (openIMIS never lowers it, §2.4). */
export function amountBenefits(product: Product, mine: readonly UsageEntry[]): AmountBenefit[] {
  const withAmounts = LimitedCategories.filter((c): c is Exclude<LimitedCategory, 'visit'> => c !== 'visit');
  return withAmounts.map((category) => {
    const allowed = product.categoryLimits[`${category}Amount`] ?? null;
    const used = categoryUse(mine, categoryCodes[category]).amount;
    return { category, allowed, used, remaining: allowed === null ? null : left(allowed, used) };
  });
}

/**
 * The policy ceiling of one scope: the product's, plus the per-extra-member amount for each member
 * above the lump sum's threshold, capped by the policy maximum (openimis.md §1.3).
 */
export function policyCeiling(
  product: Product,
  scope: (typeof AmountScopes)[number],
  members: number,
): Money | null {
  const base = product.ceilingPerPolicy[scope];
  if (base == null) {
    return null;
  }
  const extra = product.ceilingPerExtraMember[scope];
  const extraMembers = Math.max(0, members - (product.threshold ?? members));
  let ceiling = extra == null ? base : addMoney(base, multiplyMoney(extra, extraMembers));
  const maximum = product.ceilingPolicyMaximum[scope];
  if (maximum != null) {
    ceiling = minMoney(ceiling, maximum);
  }
  return ceiling;
}

/**
 * The deductibles and ceilings the product sets, with what is used and left: per insuree from the
 * member's own treatments under the policy, per policy from every member's. Per treatment they
 * apply to each claim afresh, so nothing is "used".
 */
export function gridBenefits(
  product: Product,
  mine: readonly UsageEntry[],
  policyWide: readonly UsageEntry[],
  members: number,
): GridBenefit[] {
  const rows: GridBenefit[] = [];
  for (const kind of ['deductible', 'ceiling'] as const) {
    for (const per of ['treatment', 'insuree', 'policy'] as const) {
      for (const scope of AmountScopes) {
        const allowed =
          kind === 'ceiling' && per === 'policy'
            ? policyCeiling(product, scope, members)
            : product[gridFields[kind][per]][scope];
        if (allowed == null) {
          continue;
        }
        if (per === 'treatment') {
          rows.push({ kind, per, scope, allowed, used: null, remaining: null });
          continue;
        }
        // A deductible is consumed by what the insuree paid first; a ceiling by what the scheme paid.
        const used = treatmentTotal(
          per === 'insuree' ? mine : policyWide,
          kind === 'deductible' ? 'deductible' : 'amount',
          scope,
        );
        rows.push({ kind, per, scope, allowed, used, remaining: left(allowed, used) });
      }
    }
  }
  return rows;
}

/** Whether a ceiling of `scopes` (insuree or policy) has nothing left. */
export function ceilingReached(grid: readonly GridBenefit[], scopes: readonly string[]): boolean {
  return grid.some(
    (g) =>
      g.kind === 'ceiling' &&
      g.per !== 'treatment' &&
      scopes.includes(g.scope) &&
      g.remaining !== null &&
      compareMoney(g.remaining, ZERO) <= 0,
  );
}
