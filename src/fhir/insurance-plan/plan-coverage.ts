import type {
  Extension,
  InsurancePlanCoverage,
  InsurancePlanCoverageBenefit,
  InsurancePlanCoverageBenefitLimit,
} from '@medplum/fhirtypes';
import {
  CeilingExclusions,
  PriceOrigins,
  VisitTypes,
  visitFields,
  type CeilingExclusion,
  type PriceOrigin,
  type ProductCoverage,
  type VisitType,
} from '../../domain/product/product-coverage.entity.ts';
import type {
  CategoryLimitsInput,
  ProductCoverageInput,
  ProductInput,
} from '../../domain/product/product-input.ts';
import { LimitedCategories, type Product } from '../../domain/product/product.entity.ts';
import {
  codeFrom,
  compact,
  concept,
  findExtension,
  profileViolation,
  referenceId,
} from '../shared/fhir-values.ts';
import {
  amountQuantity,
  categoryCodes,
  INSURANCE_PLAN_PROFILE,
  MEDICAL,
  months,
  PlanCodeSystems as CS,
  PlanExtensions as X,
  percentage,
} from './insurance-plan.terms.ts';
import { amountIn, codeOf, countIn, limitIn, monthsIn } from './plan-values.ts';

/**
 * InsurancePlan.coverage, both directions. The first coverage is openIMIS's: one medical benefit
 * with the insurance period and the member cap, followed by a benefit per service category with
 * its claim count and amount limits. Then one coverage per covered item or service: the
 * Medication or ActivityDefinition it covers and its price origin (extensions), and an adult and
 * a child benefit whose limits are the limitation per visit type (a percentage for co-insurance,
 * an amount for a fixed limit), the most provisions and the waiting period; the ceiling exclusion
 * is an extension of the benefit.
 */

const AgeGroups = ['adult', 'child'] as const;
type AgeGroup = (typeof AgeGroups)[number];

const visitDisplays: Record<VisitType, string> = {
  other: 'Limit per provision, other visits',
  referral: 'Limit per provision, referral visits',
  emergency: 'Limit per provision, emergency visits',
};
const priceOriginDisplays: Record<PriceOrigin, string> = {
  P: 'Price list',
  O: "Provider's own price",
  R: 'Relative price',
};
const exclusionDisplays: Record<CeilingExclusion, string> = {
  H: 'In-patient ceilings',
  N: 'Out-patient ceilings',
  B: 'In- and out-patient ceilings',
};

const limitCode = (code: string, display: string) => concept(CS.coveredLimit, code, display);

export function planCoverage(
  product: Product,
  lines: ProductCoverage[],
  currency: string,
): InsurancePlanCoverage[] {
  return [
    { type: MEDICAL, benefit: [generalBenefit(product), ...categoryBenefits(product, currency)] },
    ...lines.map((line) => lineCoverage(line, currency)),
  ];
}

function generalBenefit(product: Product): InsurancePlanCoverageBenefit {
  const limit: InsurancePlanCoverageBenefitLimit[] = [
    {
      value: { ...months(product.insurancePeriodMonths), unit: 'month' },
      code: concept(CS.benefitLimit, 'period', 'Period'),
    },
  ];
  if (product.maxMembers != null) {
    limit.push({
      value: { value: product.maxMembers, unit: 'member' },
      code: concept(CS.benefitLimit, 'memberCount', 'Member Count'),
    });
  }
  return { type: MEDICAL, limit };
}

function categoryBenefits(product: Product, currency: string): InsurancePlanCoverageBenefit[] {
  const limits = product.categoryLimits;
  return LimitedCategories.flatMap((category) => {
    const count = limits[`${category}Count`];
    const amount = category === 'visit' ? null : limits[`${category}Amount`];
    const limit: InsurancePlanCoverageBenefitLimit[] = [];
    if (count != null) {
      limit.push({
        value: { value: count, unit: 'claims' },
        code: limitCode('claims', 'Claims per insuree'),
      });
    }
    if (amount != null) {
      limit.push({
        value: amountQuantity(amount, currency),
        code: limitCode('amount', 'Amount per insuree'),
      });
    }
    return limit.length === 0
      ? []
      : [
          {
            type: concept(CS.serviceCategory, categoryCodes[category].code, categoryCodes[category].display),
            limit,
          },
        ];
  });
}

function lineCoverage(line: ProductCoverage, currency: string): InsurancePlanCoverage {
  const kind = line.item ? 'item' : 'service';
  const target = line.item ? `Medication/${line.item.id}` : `ActivityDefinition/${line.service!.id}`;
  return {
    extension: [
      { url: X.covered, valueReference: { reference: target } },
      {
        url: X.priceOrigin,
        valueCodeableConcept: concept(
          CS.priceOrigin,
          line.priceOrigin,
          priceOriginDisplays[line.priceOrigin as PriceOrigin],
        ),
      },
    ],
    type: concept(CS.coverageCategory, kind, kind === 'item' ? 'Item' : 'Service'),
    benefit: AgeGroups.map((group) => ageBenefit(line, group, currency)),
  };
}

function ageBenefit(line: ProductCoverage, group: AgeGroup, currency: string): InsurancePlanCoverageBenefit {
  const adult = group === 'adult';
  const limit: InsurancePlanCoverageBenefitLimit[] = VisitTypes.map((visit) => {
    const names = visitFields[visit];
    const value = line[adult ? names.adult : names.child];
    return {
      value: line[names.type] === 'C' ? percentage(value) : amountQuantity(value, currency),
      code: limitCode(visit, visitDisplays[visit]),
    };
  });
  const provisions = adult ? line.maxProvisionsAdult : line.maxProvisionsChild;
  if (provisions != null) {
    limit.push({
      value: { value: provisions, unit: 'provisions' },
      code: limitCode('provisions', 'Provisions per insurance period'),
    });
  }
  limit.push({
    value: months(adult ? line.waitingPeriodAdultMonths : line.waitingPeriodChildMonths),
    code: limitCode('waiting-period', 'Waiting period'),
  });
  const exclusion = adult ? line.ceilingExclusionAdult : line.ceilingExclusionChild;
  return compact<InsurancePlanCoverageBenefit>({
    extension: exclusion
      ? [
          {
            url: X.ceilingExclusion,
            valueCodeableConcept: concept(CS.ceilingExclusion, exclusion, exclusionDisplays[exclusion]),
          },
        ]
      : undefined,
    type: concept(CS.ageGroup, group, adult ? 'Adult' : 'Child'),
    limit,
  });
}

type CoverageLevers = Pick<
  ProductInput,
  'insurancePeriodMonths' | 'maxMembers' | 'categoryLimits' | 'coverage'
>;

/** InsurancePlan.coverage → the insurance period, member cap, category limits and coverage lines. */
export function readCoverage(coverages: InsurancePlanCoverage[] | undefined): CoverageLevers {
  const levers: CoverageLevers = { categoryLimits: {}, coverage: [] };
  for (const [index, coverage] of (coverages ?? []).entries()) {
    const path = `InsurancePlan.coverage[${index}]`;
    if (findExtension(coverage.extension, X.covered)) {
      levers.coverage!.push(readLine(coverage, path));
    } else {
      readGeneral(coverage, path, levers);
    }
  }
  return levers;
}

function readGeneral(coverage: InsurancePlanCoverage, path: string, levers: CoverageLevers): void {
  for (const [b, benefit] of (coverage.benefit ?? []).entries()) {
    const benefitPath = `${path}.benefit[${b}]`;
    if (benefit.type?.coding?.some((c) => c.system === CS.serviceCategory)) {
      readCategory(benefit, benefitPath, levers.categoryLimits!);
      continue;
    }
    for (const [l, limit] of (benefit.limit ?? []).entries()) {
      const at = `${benefitPath}.limit[${l}].value`;
      const code = codeFrom(limit.code, [CS.benefitLimit]);
      if (code === 'period') {
        levers.insurancePeriodMonths = monthsIn(limit.value, at);
      } else if (code === 'memberCount') {
        levers.maxMembers = countIn(limit.value, at) ?? null;
      }
    }
  }
}

function readCategory(
  benefit: InsurancePlanCoverageBenefit,
  path: string,
  limits: CategoryLimitsInput,
): void {
  const code = codeOf(
    benefit.type,
    CS.serviceCategory,
    LimitedCategories.map((c) => categoryCodes[c].code),
    `${path}.type`,
  );
  const category = LimitedCategories.find((c) => categoryCodes[c].code === code)!;
  for (const [l, limit] of (benefit.limit ?? []).entries()) {
    const at = `${path}.limit[${l}]`;
    const kind = codeOf(limit.code, CS.coveredLimit, ['claims', 'amount'] as const, `${at}.code`);
    if (kind === 'claims') {
      limits[`${category}Count`] = countIn(limit.value, `${at}.value`) ?? null;
    } else if (category === 'visit') {
      throw profileViolation(INSURANCE_PLAN_PROFILE, `${at}.code`, 'Visits are limited by count only');
    } else {
      limits[`${category}Amount`] = amountIn(limit.value, `${at}.value`) ?? null;
    }
  }
}

function readLine(coverage: InsurancePlanCoverage, path: string): ProductCoverageInput {
  const extensions = (coverage.extension ?? []).map((extension, i) => ({
    extension,
    at: `${path}.extension[${i}]`,
  }));
  const covered = extensions.find((e) => e.extension.url === X.covered)!;
  const reference = covered.extension.valueReference;
  const kind = reference?.reference?.match(/(?:^|\/)(Medication|ActivityDefinition)\/[^/]+$/)?.[1];
  if (!kind) {
    throw profileViolation(
      INSURANCE_PLAN_PROFILE,
      `${covered.at}.valueReference`,
      'A coverage line covers a Medication (medical item) or an ActivityDefinition (medical service)',
    );
  }
  const id = referenceId(reference, kind, `${covered.at}.valueReference`)!;
  const category = codeFrom(coverage.type, [CS.coverageCategory]);
  const expected = kind === 'Medication' ? 'item' : 'service';
  if (category !== undefined && category !== expected) {
    throw profileViolation(
      INSURANCE_PLAN_PROFILE,
      `${path}.type`,
      `The coverage type is ${category}, but it covers a ${kind} (${expected})`,
    );
  }
  const origin = extensions.find((e) => e.extension.url === X.priceOrigin);
  const line: ProductCoverageInput = {
    ...(kind === 'Medication' ? { itemId: id } : { serviceId: id }),
    ...(origin
      ? {
          priceOrigin: codeOf(
            origin.extension.valueCodeableConcept,
            CS.priceOrigin,
            PriceOrigins,
            `${origin.at}.valueCodeableConcept`,
          ),
        }
      : {}),
  };
  const seen = new Set<AgeGroup>();
  for (const [b, benefit] of (coverage.benefit ?? []).entries()) {
    const at = `${path}.benefit[${b}]`;
    const group = codeOf(benefit.type, CS.ageGroup, AgeGroups, `${at}.type`);
    if (!group || seen.has(group)) {
      throw profileViolation(
        INSURANCE_PLAN_PROFILE,
        `${at}.type`,
        'A coverage line has one adult and one child benefit (type adult or child)',
      );
    }
    seen.add(group);
    readAgeBenefit(benefit, at, group, line);
  }
  return line;
}

function readAgeBenefit(
  benefit: InsurancePlanCoverageBenefit,
  path: string,
  group: AgeGroup,
  line: ProductCoverageInput,
): void {
  const adult = group === 'adult';
  for (const [l, limit] of (benefit.limit ?? []).entries()) {
    const at = `${path}.limit[${l}]`;
    const code = codeOf(
      limit.code,
      CS.coveredLimit,
      [...VisitTypes, 'provisions', 'waiting-period'] as const,
      `${at}.code`,
    );
    if (code === 'provisions') {
      line[adult ? 'maxProvisionsAdult' : 'maxProvisionsChild'] = countIn(limit.value, `${at}.value`) ?? null;
    } else if (code === 'waiting-period') {
      line[adult ? 'waitingPeriodAdultMonths' : 'waitingPeriodChildMonths'] = monthsIn(
        limit.value,
        `${at}.value`,
      );
    } else if (code) {
      const names = visitFields[code];
      const read = limitIn(limit.value, `${at}.value`);
      if (!read) {
        continue;
      }
      // The limitation type is one per visit type: adults and children share it.
      if (line[names.type] !== undefined && line[names.type] !== read.type) {
        throw profileViolation(
          INSURANCE_PLAN_PROFILE,
          `${at}.value`,
          `The ${code} limit is co-insurance for one age group and a fixed amount for the other; a coverage line has one limitation type per visit type`,
        );
      }
      line[names.type] = read.type;
      line[adult ? names.adult : names.child] = read.value;
    }
  }
  const exclusion = (benefit.extension ?? []).findIndex((e: Extension) => e.url === X.ceilingExclusion);
  if (exclusion >= 0) {
    line[adult ? 'ceilingExclusionAdult' : 'ceilingExclusionChild'] =
      codeOf(
        benefit.extension![exclusion]!.valueCodeableConcept,
        CS.ceilingExclusion,
        CeilingExclusions,
        `${path}.extension[${exclusion}].valueCodeableConcept`,
      ) ?? null;
  }
}
