import type { Coding } from '@medplum/fhirtypes';
import type {
  EnquiryError,
  ExclusionReason,
  NotInForceReason,
} from '../../domain/eligibility/eligibility-result.ts';
import type { AmountScope, LimitedCategory } from '../../domain/product/product.entity.ts';
import { kingaCodeSystem, kingaExtension, kingaProfile, openImisCodeSystem } from '../shared/openimis.ts';

/** The vocabulary CoverageEligibilityRequest and CoverageEligibilityResponse share. */

export const ELIGIBILITY_REQUEST_PROFILE = kingaProfile('kinga-coverage-eligibility-request');
export const ELIGIBILITY_RESPONSE_PROFILE = kingaProfile('kinga-coverage-eligibility-response');

/** openIMIS's item categories of a request line: item or service. */
export const ITEM_CATEGORY_SYSTEM = openImisCodeSystem('claim-item-category');

export const EligibilityCodeSystems = {
  reason: kingaCodeSystem('eligibility-reason'),
  benefit: kingaCodeSystem('eligibility-benefit'),
} as const;

export const EligibilityExtensions = {
  /** On insurance: why the cover is not in force on the date. */
  notInForce: kingaExtension('eligibility-not-in-force'),
  /** On insurance.item: one reason it is excluded (reason, until, category). */
  exclusion: kingaExtension('eligibility-exclusion'),
  /** On insurance.item.benefit: what is left (allowed − used, never below zero). */
  remaining: kingaExtension('eligibility-remaining'),
} as const;

type ReasonCode = NotInForceReason | ExclusionReason | EnquiryError;

export const reasonDisplays: Record<ReasonCode, string> = {
  'policy-idle': 'Policy entered, not paid',
  'policy-ready': 'Policy paid, awaiting activation',
  'policy-suspended': 'Policy suspended for non-payment',
  'policy-expired': 'Policy expired',
  'member-not-covered-yet': "Member's extra premium not paid yet",
  'not-started': 'Cover not started yet on the date',
  ended: 'Cover ended before the date',
  'not-in-force': 'No cover in force on the date',
  'invalid-item-or-service': 'Item or service not valid on the date',
  'not-in-product': 'Not covered by the product',
  'waiting-period': 'Waiting period not over',
  'quantity-limit': 'Quantity limit reached',
  frequency: 'Given too recently (frequency)',
  'patient-category': "Not for the patient's category (sex, age)",
  'care-type': "The facility's care type does not provide it",
  'not-in-price-list': "Not in the facility's price list",
  'category-limit': 'Category limit reached',
  'ceiling-reached': 'Ceiling reached',
  'patient-unknown': 'No insuree with that reference or insurance number',
  'no-coverage': 'The insuree has no cover around the date',
  'no-coverage-in-force': 'The insuree has no cover in force on the date',
};

export function reasonCoding(code: ReasonCode): Coding {
  return { system: EligibilityCodeSystems.reason, code, display: reasonDisplays[code] };
}

const categoryDisplays: Record<LimitedCategory, string> = {
  consultation: 'Consultations',
  surgery: 'Surgeries',
  delivery: 'Deliveries',
  hospitalization: 'Hospital admissions',
  visit: 'Visits',
  antenatal: 'Antenatal care',
};
const scopeCodes: Record<AmountScope, string> = {
  general: 'general',
  inPatient: 'in-patient',
  outPatient: 'out-patient',
};
const scopeDisplays: Record<AmountScope, string> = {
  general: 'all care',
  inPatient: 'in-patient care',
  outPatient: 'out-patient care',
};
const perDisplays = { treatment: 'per treatment', insuree: 'per insuree', policy: 'per policy' } as const;

/** Benefit types and item categories of Kinga's eligibility answers (CodeSystem eligibility-benefit). */
export const BenefitCodes = {
  package: { code: 'benefit-package', display: 'Benefit package' },
  quantity: { code: 'quantity', display: 'Provisions in the insurance period' },
  coInsurance: { code: 'co-insurance', display: 'Share the scheme pays (percent)' },
  fixedAmount: { code: 'fixed-amount', display: 'Most the scheme pays per provision' },
  price: { code: 'price', display: 'Price at the facility' },
  count: (category: LimitedCategory) => ({
    code: `${category}-count`,
    display: `${categoryDisplays[category]}: claims`,
  }),
  amount: (category: LimitedCategory) => ({
    code: `${category}-amount`,
    display: `${categoryDisplays[category]}: amount`,
  }),
  grid: (kind: 'deductible' | 'ceiling', per: keyof typeof perDisplays, scope: AmountScope) => ({
    code: `${kind}-${per}-${scopeCodes[scope]}`,
    display: `${kind === 'deductible' ? 'Deductible' : 'Ceiling'} ${perDisplays[per]}, ${scopeDisplays[scope]}`,
  }),
};

export function benefitCoding(entry: { code: string; display: string }): Coding {
  return { system: EligibilityCodeSystems.benefit, ...entry };
}
