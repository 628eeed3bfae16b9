import type {
  InsurancePlanPlan,
  Money,
  InsurancePlanPlanGeneralCost,
  InsurancePlanPlanSpecificCost,
  InsurancePlanPlanSpecificCostBenefitCost,
} from '@medplum/fhirtypes';
import type { AmountLimitsInput, ProductInput } from '../../domain/product/product-input.ts';
import {
  AmountGrids,
  AmountScopes,
  type AmountGrid,
  type AmountScope,
  type Product,
} from '../../domain/product/product.entity.ts';
import { codeFrom, compact, concept, profileViolation } from '../shared/fhir-values.ts';
import {
  amountQuantity,
  INSURANCE_PLAN_PROFILE,
  PlanCodeSystems as CS,
  whereCode,
} from './insurance-plan.terms.ts';
import { amountIn, codeOf, decimalText } from './plan-values.ts';

/**
 * InsurancePlan.plan, both directions. generalCost carries what a family pays, with openIMIS's
 * cost types (lumpsum with groupSize = threshold, premiums, registration and general-assembly
 * fees). specificCost carries the deductible/ceiling grid: category = general, in-patient or
 * out-patient; benefit = per treatment, per insuree, per policy, per extra member or the policy
 * maximum; cost = deductible or ceiling, an amount.
 */

const GeneralCosts = {
  lumpsum: { field: 'lumpSum', display: 'Lumpsum' },
  premiumAdult: { field: 'premiumAdult', display: 'Premium Adult' },
  premiumChild: { field: 'premiumChild', display: 'Premium Child' },
  registrationLumpsum: { field: 'registrationLumpSum', display: 'Registration Lumpsum' },
  registrationFee: { field: 'registrationFee', display: 'Registration Fee' },
  generalAssemblyLumpSum: { field: 'generalAssemblyLumpSum', display: 'General Assembly Lumpsum' },
  generalAssemblyFee: { field: 'generalAssemblyFee', display: 'General Assembly Fee' },
} as const;
type GeneralCostCode = keyof typeof GeneralCosts;
const generalCostCodes = Object.keys(GeneralCosts) as GeneralCostCode[];

const scopeCodes: Record<AmountScope, { code: string; display: string }> = {
  general: { code: 'general', display: 'All care' },
  inPatient: { code: 'in-patient', display: 'In-patient care' },
  outPatient: { code: 'out-patient', display: 'Out-patient care' },
};
const Bases = ['treatment', 'insuree', 'policy', 'extra-member', 'policy-maximum'] as const;
type Basis = (typeof Bases)[number];
const basisDisplays: Record<Basis, string> = {
  treatment: 'Per treatment (claim)',
  insuree: 'Per insuree and insurance period',
  policy: 'Per policy and insurance period',
  'extra-member': 'Added per member above the threshold',
  'policy-maximum': 'Most the policy ceiling may reach',
};
const CostTypes = ['deductible', 'ceiling'] as const;
type CostType = (typeof CostTypes)[number];
const costDisplays: Record<CostType, string> = { deductible: 'Deductible', ceiling: 'Ceiling' };

/** Which cell of specificCost each row of the grid is. */
const gridCells: Record<AmountGrid, { basis: Basis; type: CostType }> = {
  deductiblePerTreatment: { basis: 'treatment', type: 'deductible' },
  deductiblePerInsuree: { basis: 'insuree', type: 'deductible' },
  deductiblePerPolicy: { basis: 'policy', type: 'deductible' },
  ceilingPerTreatment: { basis: 'treatment', type: 'ceiling' },
  ceilingPerInsuree: { basis: 'insuree', type: 'ceiling' },
  ceilingPerPolicy: { basis: 'policy', type: 'ceiling' },
  ceilingPerExtraMember: { basis: 'extra-member', type: 'ceiling' },
  ceilingPolicyMaximum: { basis: 'policy-maximum', type: 'ceiling' },
};

export function planCosts(product: Product, currency: string): InsurancePlanPlan {
  const generalCost: InsurancePlanPlanGeneralCost[] = [];
  for (const code of generalCostCodes) {
    const value = product[GeneralCosts[code].field];
    const groupSize = code === 'lumpsum' ? product.threshold : null;
    if (value != null || groupSize != null) {
      generalCost.push(
        compact<InsurancePlanPlanGeneralCost>({
          type: concept(CS.generalCost, code, GeneralCosts[code].display),
          groupSize: groupSize ?? undefined,
          cost: value != null ? { value: Number(value), currency: currency as Money['currency'] } : undefined,
        }),
      );
    }
  }
  const specificCost: InsurancePlanPlanSpecificCost[] = AmountScopes.flatMap((scope) => {
    const benefit = Bases.flatMap((basis) => {
      const cost: InsurancePlanPlanSpecificCostBenefitCost[] = AmountGrids.flatMap((grid) => {
        const value = product[grid][scope];
        const cell = gridCells[grid];
        return cell.basis === basis && value != null
          ? [
              {
                type: concept(CS.costType, cell.type, costDisplays[cell.type]),
                value: amountQuantity(value, currency),
              },
            ]
          : [];
      });
      return cost.length > 0 ? [{ type: concept(CS.costBasis, basis, basisDisplays[basis]), cost }] : [];
    });
    const { code, display } = scopeCodes[scope];
    return benefit.length > 0 ? [{ category: concept(CS.costScope, code, display), benefit }] : [];
  });
  return compact<InsurancePlanPlan>({ generalCost, specificCost });
}

type CostLevers = Pick<
  ProductInput,
  | 'lumpSum'
  | 'threshold'
  | 'premiumAdult'
  | 'premiumChild'
  | 'registrationLumpSum'
  | 'registrationFee'
  | 'generalAssemblyLumpSum'
  | 'generalAssemblyFee'
  | AmountGrid
>;

/**
 * InsurancePlan.plan → prices and the grid. Amounts are in the scheme's currency (CURRENCY): the
 * currency a client sends is not converted (openIMIS sends "$" or EUR whatever the scheme uses).
 */
export function readCosts(plans: InsurancePlanPlan[] | undefined): CostLevers {
  if ((plans ?? []).length > 1) {
    throw profileViolation(INSURANCE_PLAN_PROFILE, 'InsurancePlan.plan', 'A product has one plan of costs');
  }
  const plan = plans?.[0];
  const levers: CostLevers = {};
  for (const [index, cost] of (plan?.generalCost ?? []).entries()) {
    const path = `InsurancePlan.plan[0].generalCost[${index}]`;
    const code = codeFrom(cost.type, [CS.generalCost]);
    if (code === undefined) {
      continue;
    }
    if (!generalCostCodes.includes(code as GeneralCostCode)) {
      throw profileViolation(
        INSURANCE_PLAN_PROFILE,
        `${path}.type`,
        `Expected a code of ${CS.generalCost}: ${generalCostCodes.join(', ')}`,
      );
    }
    const value = decimalText(cost.cost?.value, `${path}.cost.value`);
    levers[GeneralCosts[code as GeneralCostCode].field] = value;
    if (code === 'lumpsum') {
      levers.threshold = cost.groupSize ?? null;
    }
  }
  for (const [s, specific] of (plan?.specificCost ?? []).entries()) {
    const path = `InsurancePlan.plan[0].specificCost[${s}]`;
    const code = codeOf(
      specific.category,
      CS.costScope,
      ['general', 'in-patient', 'out-patient'] as const,
      `${path}.category`,
    )!;
    const scope = AmountScopes.find((sc) => scopeCodes[sc].code === code)!;
    for (const [b, benefit] of (specific.benefit ?? []).entries()) {
      const basis = codeOf(benefit.type, CS.costBasis, Bases, `${path}.benefit[${b}].type`)!;
      for (const [c, cost] of (benefit.cost ?? []).entries()) {
        const at = `${path}.benefit[${b}].cost[${c}]`;
        const type = codeOf(cost.type, CS.costType, CostTypes, `${at}.type`)!;
        const grid = AmountGrids.find((g) => gridCells[g].basis === basis && gridCells[g].type === type);
        if (!grid) {
          throw profileViolation(
            INSURANCE_PLAN_PROFILE,
            `${at}.type`,
            `There is no ${type} ${basisDisplays[basis].toLowerCase()}`,
          );
        }
        const row: AmountLimitsInput = (levers[grid] ??= {});
        row[scope] = amountIn(cost.value, `${at}.value`) ?? null;
      }
    }
  }
  return levers;
}

/** Where each price and grid cell is, for errors raised by the use cases. */
export const costFieldPaths: Record<string, string> = {
  threshold: `InsurancePlan.plan.generalCost.${whereCode('type', 'lumpsum')}.groupSize`,
  ...Object.fromEntries(
    generalCostCodes.map((code) => [
      GeneralCosts[code].field,
      `InsurancePlan.plan.generalCost.${whereCode('type', code)}.cost`,
    ]),
  ),
  ...Object.fromEntries(
    AmountGrids.flatMap((grid) =>
      AmountScopes.map((scope) => [
        `${grid}.${scope}`,
        `InsurancePlan.plan.specificCost.${whereCode('category', scopeCodes[scope].code)}.benefit.${whereCode('type', gridCells[grid].basis)}.cost.${whereCode('type', gridCells[grid].type)}.value`,
      ]),
    ),
  ),
};
