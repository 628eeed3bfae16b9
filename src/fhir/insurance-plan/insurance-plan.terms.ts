import type { CodeableConcept, Quantity } from '@medplum/fhirtypes';
import type { LimitedCategory } from '../../domain/product/product.entity.ts';
import { concept } from '../shared/fhir-values.ts';
import {
  KINGA,
  kingaCodeSystem,
  kingaExtension,
  kingaProfile,
  openImisCodeSystem,
  openImisExtension,
} from '../shared/openimis.ts';

/** The vocabulary of the InsurancePlan a product is published as. */

export const INSURANCE_PLAN_PROFILE = kingaProfile('kinga-insurance-plan');
export const PRODUCT_CODE_SYSTEM = `${KINGA}/NamingSystem/product-code`;
export const PLAN_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/insurance-plan-type';
export const UCUM = 'http://unitsofmeasure.org';
/** Quantity.system of an amount of money (datatypes.html#Money: currency in a Quantity). */
export const CURRENCY_SYSTEM = 'urn:iso:std:iso:4217';

/**
 * openIMIS IG extensions where the IG has one that means exactly one lever; Kinga's own where the
 * IG has none or is ambiguous (its insurance-plan-period and -discount stand for several levers,
 * told apart only by their order, which openIMIS writes and reads differently).
 */
export const PlanExtensions = {
  startCycle: openImisExtension('insurance-plan-start-cycle'),
  maxInstallments: openImisExtension('insurance-plan-max-installments'),
  conversion: openImisExtension('insurance-plan-conversion'),
  openImisPeriod: openImisExtension('insurance-plan-period'),
  openImisDiscount: openImisExtension('insurance-plan-discount'),
  administrationPeriod: kingaExtension('insurance-plan-administration-period'),
  enrolmentGracePeriod: kingaExtension('insurance-plan-enrolment-grace-period'),
  renewalGracePeriod: kingaExtension('insurance-plan-renewal-grace-period'),
  paymentGracePeriod: kingaExtension('insurance-plan-payment-grace-period'),
  enrolmentDiscount: kingaExtension('insurance-plan-enrolment-discount'),
  renewalDiscount: kingaExtension('insurance-plan-renewal-discount'),
  ceilingInterpretation: kingaExtension('insurance-plan-ceiling-interpretation'),
  relativePricing: kingaExtension('insurance-plan-relative-pricing'),
  covered: kingaExtension('insurance-plan-covered'),
  priceOrigin: kingaExtension('insurance-plan-price-origin'),
  ceilingExclusion: kingaExtension('insurance-plan-ceiling-exclusion'),
} as const;

export const PlanCodeSystems = {
  benefitLimit: openImisCodeSystem('insurance-plan-coverage-benefit-limit'),
  generalCost: openImisCodeSystem('insurance-plan-general-cost-type'),
  coverageCategory: openImisCodeSystem('coverage-item-category'),
  coveredLimit: kingaCodeSystem('insurance-plan-benefit-limit'),
  ageGroup: kingaCodeSystem('insurance-plan-age-group'),
  /** The medical service categories (C consultation, S surgery…), shared with ActivityDefinition. */
  serviceCategory: kingaCodeSystem('service-category'),
  costScope: kingaCodeSystem('insurance-plan-cost-scope'),
  costBasis: kingaCodeSystem('insurance-plan-cost-basis'),
  costType: kingaCodeSystem('insurance-plan-cost-type'),
  priceOrigin: kingaCodeSystem('price-origin'),
  ceilingExclusion: kingaCodeSystem('ceiling-exclusion'),
  ceilingInterpretation: kingaCodeSystem('ceiling-interpretation'),
  relativePricingPeriod: kingaCodeSystem('relative-pricing-period'),
} as const;

export const MEDICAL: CodeableConcept = concept(PLAN_TYPE_SYSTEM, 'medical', 'Medical');

export function months(value: number): Quantity {
  return { value, unit: 'months', system: UCUM, code: 'mo' };
}

export function percentage(value: string): Quantity {
  return { value: Number(value), unit: '%', system: UCUM, code: '%' };
}

export function amountQuantity(value: string, currency: string): Quantity {
  return { value: Number(value), unit: currency, system: CURRENCY_SYSTEM, code: currency };
}

/** The service-category code of each category with claim count and amount limits. */
export const categoryCodes: Record<LimitedCategory, { code: string; display: string }> = {
  consultation: { code: 'C', display: 'Consultation' },
  surgery: { code: 'S', display: 'Surgery' },
  delivery: { code: 'D', display: 'Delivery' },
  hospitalization: { code: 'H', display: 'Hospitalization' },
  visit: { code: 'V', display: 'Visit' },
  antenatal: { code: 'A', display: 'Antenatal' },
};

/** A FHIRPath step selecting the element whose CodeableConcept `element` has `code`. */
export function whereCode(element: string, code: string): string {
  return `where(${element}.coding.code = '${code}')`;
}
