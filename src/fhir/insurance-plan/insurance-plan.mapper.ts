import type { InsurancePlan, Location as FhirLocation } from '@medplum/fhirtypes';
import type { ProductCoverage } from '../../domain/product/product-coverage.entity.ts';
import type { ProductInput } from '../../domain/product/product-input.ts';
import { LimitedCategories, type Product, type SaleStatus } from '../../domain/product/product.entity.ts';
import { todayIn } from '../../platform/jobs/scheme-today.ts';
import type { MappingContext } from '../core/resource-module.ts';
import {
  codeIdentifier,
  compact,
  identifierTypeCode,
  profileViolation,
  reference,
  referenceId,
  uuidIdentifier,
} from '../shared/fhir-values.ts';
import {
  categoryCodes,
  INSURANCE_PLAN_PROFILE,
  MEDICAL,
  PRODUCT_CODE_SYSTEM,
  whereCode,
} from './insurance-plan.terms.ts';
import { costFieldPaths, planCosts, readCosts } from './plan-costs.ts';
import { planCoverage, readCoverage } from './plan-coverage.ts';
import { extensionFieldPaths, planExtensions, readPlanExtensions } from './plan-extensions.ts';

/** A product as published: its levers and its coverage lines. */
export interface ProductView {
  product: Product;
  lines: ProductCoverage[];
}

/** openIMIS's status from the underwriting window (InsurancePlanConverter.build_fhir_status). */
const statusOf: Record<SaleStatus, InsurancePlan['status']> = {
  upcoming: 'draft',
  'on-sale': 'active',
  closed: 'retired',
};

/** Product → InsurancePlan: every lever, each covered item and service with its limits. */
export function productToInsurancePlan(
  view: ProductView,
  context: MappingContext,
  today = todayIn(context.config.SCHEME_TIME_ZONE),
): InsurancePlan {
  const { product, lines } = view;
  const currency = context.config.CURRENCY;
  return compact<InsurancePlan>({
    resourceType: 'InsurancePlan',
    meta: { profile: [INSURANCE_PLAN_PROFILE] },
    extension: planExtensions(product),
    identifier: [uuidIdentifier(product.id), codeIdentifier(PRODUCT_CODE_SYSTEM, product.code)],
    status: statusOf[product.saleStatusOn(today)],
    type: [MEDICAL],
    name: product.name,
    period: { start: product.dateFrom, end: product.dateTo },
    coverageArea: product.location ? [reference<FhirLocation>('Location', product.location.id)!] : undefined,
    coverage: planCoverage(product, lines, currency),
    plan: [planCosts(product, currency)],
  });
}

/**
 * InsurancePlan → what the product use cases take. The status is not read: it follows from the
 * period. Reference forms are checked here; their targets by the use cases.
 */
export function insurancePlanToProduct(plan: InsurancePlan): ProductInput {
  const code = plan.identifier?.find(
    (i) => i.system === PRODUCT_CODE_SYSTEM || identifierTypeCode(i) === 'Code',
  )?.value;
  if ((plan.coverageArea ?? []).length > 1) {
    throw profileViolation(
      INSURANCE_PLAN_PROFILE,
      'InsurancePlan.coverageArea',
      'A product is sold nationally (no coverage area) or in one region or district',
    );
  }
  return {
    code: code ?? '',
    name: plan.name ?? '',
    dateFrom: plan.period?.start ?? '',
    dateTo: plan.period?.end ?? '',
    locationId: referenceId(plan.coverageArea?.[0], 'Location', 'InsurancePlan.coverageArea[0]') ?? null,
    ...readPlanExtensions(plan.extension),
    ...readCoverage(plan.coverage),
    ...readCosts(plan.plan),
  };
}

const generalLimit = (code: string) =>
  `InsurancePlan.coverage.benefit.limit.${whereCode('code', code)}.value`;

const categoryLimit = (category: string, limit: string) =>
  `InsurancePlan.coverage.benefit.${whereCode('type', category)}.limit.${whereCode('code', limit)}.value`;

/** Path of a product field in the InsurancePlan, for errors raised by the use cases. */
export const insurancePlanFieldPaths: Record<string, string> = {
  code: 'InsurancePlan.identifier',
  name: 'InsurancePlan.name',
  dateFrom: 'InsurancePlan.period.start',
  dateTo: 'InsurancePlan.period.end',
  location: 'InsurancePlan.coverageArea',
  insurancePeriodMonths: generalLimit('period'),
  maxMembers: generalLimit('memberCount'),
  coverage: 'InsurancePlan.coverage',
  ...extensionFieldPaths,
  ...costFieldPaths,
  ...Object.fromEntries(
    LimitedCategories.flatMap((category) => [
      [`categoryLimits.${category}Count`, categoryLimit(categoryCodes[category].code, 'claims')],
      [`categoryLimits.${category}Amount`, categoryLimit(categoryCodes[category].code, 'amount')],
    ]),
  ),
};
