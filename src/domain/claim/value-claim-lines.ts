import {
  addMoney,
  compareMoney,
  maxMoney,
  minMoney,
  multiplyMoney,
  percentOf,
  subtractMoney,
  ZERO,
  type Money,
} from '../shared/money.ts';
import type { ServiceCategory } from '../medical/medical-service.entity.ts';
import type { AmountScope, LimitedCategory } from '../product/product.entity.ts';
import type { CeilingExclusion, PriceOrigin } from '../product/product-coverage.entity.ts';
import { categoryCodes, policyCeiling } from '../eligibility/benefit-limits.ts';
import type { CoverRow, ProductTerms, UsageRow } from '../eligibility/eligibility-reads.ts';
import type { CareSetting } from '../eligibility/usage-entry.entity.ts';
import { categoryUse, treatmentTotal } from '../eligibility/usage-totals.ts';
import { isStay, type ClaimFacts, type LineVerdict } from './check-claim-lines.ts';
import { fixedCap, limitationOf, unitPriceOf, type Limitation } from './line-price.ts';

/** One accepted line valued step by step (openimis.md §2.3 "Product assignment & valuation"). */
export interface LineValue {
  sequence: number;
  quantity: number;
  policyId: string;
  productId: string;
  priceOrigin: PriceOrigin;
  limitation: Limitation;
  ceilingExcluded: boolean;
  unitPrice: Money;
  /** quantity × unit price. */
  eligible: Money;
  deductible: Money;
  /** Above a fixed limit, plus the co-insurance share. */
  copay: Money;
  exceedCategory: Money;
  exceedCeiling: Money;
  /** What the scheme pays. */
  benefit: Money;
}

/** What a claim used of one policy: a treatment in the usage ledger. */
export interface PolicyUse {
  policyId: string;
  /** The member's cover under it (InsureePolicy id). */
  coverId: string;
  careSetting: CareSetting;
  /** What counts against ceilings and category amounts (ceiling-excluded lines left out). */
  counted: Money;
  deductible: Money;
}

export interface ClaimValuation {
  lines: LineValue[];
  uses: PolicyUse[];
}

const PERS = ['treatment', 'insuree', 'policy'] as const;
const deductibleRows = {
  treatment: 'deductiblePerTreatment',
  insuree: 'deductiblePerInsuree',
  policy: 'deductiblePerPolicy',
} as const;
const ceilingRows = {
  treatment: 'ceilingPerTreatment',
  insuree: 'ceilingPerInsuree',
  policy: 'ceilingPerPolicy',
} as const;

/** In- or out-patient for a product: by the facility's level (H) or by a stay of a night or more (I). */
export function careSettingOf(
  product: ProductTerms,
  facts: Pick<ClaimFacts, 'dateFrom' | 'dateTo' | 'facility'>,
): CareSetting {
  if (product.ceilingInterpretation === 'H') {
    return facts.facility.level === 'H' ? 'I' : 'O';
  }
  return isStay(facts) ? 'I' : 'O';
}

function excluded(exclusion: CeilingExclusion | null | undefined, setting: CareSetting): boolean {
  return (
    exclusion === 'B' || (exclusion === 'H' && setting === 'I') || (exclusion === 'N' && setting === 'O')
  );
}

/** Running totals of this claim under one policy. */
interface Running {
  deductible: Map<string, Money>;
  counted: Money;
  setting: CareSetting;
  cover: CoverRow;
}

/**
 * Values the accepted lines in their order, in decimal money (no truncation, §2.4): unit price by
 * origin → quantity × price → a fixed limit caps it → the deductible is consumed first (the first
 * of treatment, insuree, policy the product sets, general else in/out-patient) → co-insurance →
 * the claim category's amount cap → the ceilings (treatment, insuree, policy; general and the
 * care setting's), unless the line is excluded from them for the patient's age (openIMIS tests
 * `is_adult` without calling it, so it never applies child exclusions; here it does). Earlier
 * lines of the claim consume deductibles, caps and ceilings before later ones.
 */
export function valueClaimLines(
  facts: ClaimFacts,
  verdicts: LineVerdict[],
  ledger: { policyWide: Map<string, UsageRow[]>; members: Map<string, number> },
  category: ServiceCategory,
): ClaimValuation {
  const running = new Map<string, Running>();
  const limited = (Object.entries(categoryCodes) as [LimitedCategory, ServiceCategory][]).find(
    ([c, code]) => code === category && c !== 'visit',
  )?.[0] as Exclude<LimitedCategory, 'visit'> | undefined;
  const values: LineValue[] = [];
  for (const verdict of verdicts) {
    if (!verdict.accepted) {
      continue;
    }
    const line = facts.lines.find((l) => l.sequence === verdict.sequence)!;
    const { cover, coverage, quantity } = verdict;
    const product = cover.policy.product;
    const policyId = cover.policy.id;
    let run = running.get(policyId);
    if (!run) {
      run = { deductible: new Map(), counted: ZERO, setting: careSettingOf(product, facts), cover };
      running.set(policyId, run);
    }
    const mine = facts.usage.filter((u) => u.policy.id === policyId && u.insuree.id === facts.insuree.id);
    const everyone = ledger.policyWide.get(policyId) ?? mine;
    const scopes: AmountScope[] = ['general', run.setting === 'I' ? 'inPatient' : 'outPatient'];
    const limitation = limitationOf(coverage, facts.visitType, facts.adult);
    const unitPrice = unitPriceOf(coverage, facts.prices.get(line.record.id)!, line);
    const eligible = multiplyMoney(unitPrice, quantity);

    let work = fixedCap(eligible, quantity, limitation);
    let copay = subtractMoney(eligible, work);

    const deductible = deductibleRow(product, scopes);
    let consumed = ZERO;
    if (deductible) {
      const key = `${deductible.per} ${deductible.scope}`;
      const usedBefore =
        deductible.per === 'treatment'
          ? ZERO
          : treatmentTotal(deductible.per === 'insuree' ? mine : everyone, 'deductible', deductible.scope);
      const usedHere = run.deductible.get(key) ?? ZERO;
      const left = maxMoney(ZERO, subtractMoney(deductible.allowed, addMoney(usedBefore, usedHere)));
      consumed = minMoney(work, left);
      run.deductible.set(key, addMoney(usedHere, consumed));
      work = subtractMoney(work, consumed);
    }

    if (limitation.type === 'C') {
      const paid = percentOf(work, limitation.value);
      copay = addMoney(copay, subtractMoney(work, paid));
      work = paid;
    }

    const isExcluded = excluded(
      facts.adult ? coverage.ceilingExclusionAdult : coverage.ceilingExclusionChild,
      run.setting,
    );
    let exceedCategory = ZERO;
    let exceedCeiling = ZERO;
    if (!isExcluded) {
      if (limited) {
        const allowed = product.categoryLimits[`${limited}Amount`];
        if (allowed != null) {
          const used = addMoney(categoryUse(mine, categoryCodes[limited]).amount, run.counted);
          exceedCategory = capExcess(work, subtractMoney(allowed, used));
          work = subtractMoney(work, exceedCategory);
        }
      }
      const left = ceilingLeft(
        product,
        scopes,
        mine,
        everyone,
        ledger.members.get(policyId) ?? 1,
        run.counted,
      );
      if (left !== null) {
        exceedCeiling = capExcess(work, left);
        work = subtractMoney(work, exceedCeiling);
      }
      run.counted = addMoney(run.counted, work);
    }
    values.push({
      sequence: line.sequence,
      quantity,
      policyId,
      productId: product.id,
      priceOrigin: coverage.priceOrigin,
      limitation,
      ceilingExcluded: isExcluded,
      unitPrice,
      eligible,
      deductible: consumed,
      copay,
      exceedCategory,
      exceedCeiling,
      benefit: work,
    });
  }
  const uses = [...running.entries()].map(([policyId, run]) => ({
    policyId,
    coverId: run.cover.id,
    careSetting: run.setting,
    counted: run.counted,
    deductible: addMoney(ZERO, ...run.deductible.values()),
  }));
  return { lines: values, uses };
}

/** What a cap of `left` (may be negative: nothing left) takes off `work`. */
function capExcess(work: Money, left: Money): Money {
  return maxMoney(ZERO, subtractMoney(work, maxMoney(ZERO, left)));
}

/** The deductible that applies: the first the product sets of treatment, insuree, policy, general first. */
function deductibleRow(
  product: ProductTerms,
  scopes: AmountScope[],
): { per: (typeof PERS)[number]; scope: AmountScope; allowed: Money } | null {
  for (const scope of scopes) {
    for (const per of PERS) {
      const allowed = product[deductibleRows[per]][scope];
      if (allowed != null && compareMoney(allowed, ZERO) > 0) {
        return { per, scope, allowed };
      }
    }
  }
  return null;
}

/** The least left of every ceiling that applies, after what this claim already counted; null if none. */
function ceilingLeft(
  product: ProductTerms,
  scopes: AmountScope[],
  mine: UsageRow[],
  everyone: UsageRow[],
  members: number,
  countedHere: Money,
): Money | null {
  let least: Money | null = null;
  for (const scope of scopes) {
    for (const per of PERS) {
      const allowed =
        per === 'policy' ? policyCeiling(product, scope, members) : product[ceilingRows[per]][scope];
      if (allowed == null) {
        continue;
      }
      const usedBefore =
        per === 'treatment' ? ZERO : treatmentTotal(per === 'insuree' ? mine : everyone, 'amount', scope);
      const left = subtractMoney(allowed, addMoney(usedBefore, countedHere));
      least = least === null ? left : minMoney(least, left);
    }
  }
  return least;
}
