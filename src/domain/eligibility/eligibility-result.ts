import type { IsoDate } from '../shared/dates.ts';
import type { Money } from '../shared/money.ts';
import type { PolicyStatus } from '../policy/policy.entity.ts';
import type { AmountScope, LimitedCategory } from '../product/product.entity.ts';
import type { LimitationType } from '../product/product-coverage.entity.ts';

/**
 * What an eligibility enquiry answers, as plain data (stored with the enquiry, mapped to FHIR by
 * fhir/coverage-eligibility-response). Every count and amount is given, zero included: a zero
 * left is not "no limit" (openimis.md §3.5). A limit the product does not set is `null`.
 */

/** Why a cover is not in force on the date (openIMIS gives none: it lists active policies only). */
export const NotInForceReasons = [
  'policy-idle',
  'policy-ready',
  'policy-suspended',
  'policy-expired',
  'member-not-covered-yet',
  'not-started',
  'ended',
] as const;
export type NotInForceReason = (typeof NotInForceReasons)[number];

/** Why an item or service is not covered (openIMIS rejection reasons, openimis.md §1.5). */
export const ExclusionReasons = [
  'not-in-force',
  'invalid-item-or-service',
  'not-in-product',
  'waiting-period',
  'quantity-limit',
  'frequency',
  'patient-category',
  'care-type',
  'not-in-price-list',
  'category-limit',
  'ceiling-reached',
] as const;
export type ExclusionReason = (typeof ExclusionReasons)[number];

/** Why a processed enquiry has no (or no usable) answer. */
export const EnquiryErrors = ['patient-unknown', 'no-coverage', 'no-coverage-in-force'] as const;
export type EnquiryError = (typeof EnquiryErrors)[number];

export interface Exclusion {
  reason: ExclusionReason;
  /** Waiting period and frequency: the first date it will be covered. */
  until?: IsoDate;
  /** Category limits: which category. */
  category?: LimitedCategory;
}

export interface CountBenefit {
  category: LimitedCategory;
  allowed: number | null;
  used: number;
  remaining: number | null;
}

export interface AmountBenefit {
  category: LimitedCategory;
  allowed: Money | null;
  used: Money;
  remaining: Money | null;
}

/** A deductible or a ceiling of the product's grid; `per: treatment` applies to each claim, so nothing is used. */
export interface GridBenefit {
  kind: 'deductible' | 'ceiling';
  per: 'treatment' | 'insuree' | 'policy';
  scope: AmountScope;
  allowed: Money;
  used: Money | null;
  remaining: Money | null;
}

export interface RequestedAnswer {
  kind: 'item' | 'service';
  code: string;
  covered: boolean;
  exclusions: Exclusion[];
  /** Provisions left in the insurance period; null when the product sets no limit. */
  quantityAllowed: number | null;
  quantityUsed: number;
  quantityRemaining: number | null;
  /** C: the scheme pays `limit` percent; F: the scheme pays up to `limit`. Null when not in the product. */
  limitation: { type: LimitationType; limit: Money } | null;
  /** The price at the facility asked for, or the register price without a facility. */
  price: Money | null;
  priceOrigin: 'overrule' | 'register' | null;
}

export interface InsuranceAnswer {
  insureePolicyId: string;
  policyId: string;
  productId: string;
  productCode: string;
  productName: string;
  policyStatus: PolicyStatus;
  inForce: boolean;
  notInForce: NotInForceReason | null;
  /** The member's cover: its start and expiry, and the day it became effective. */
  start: IsoDate;
  end: IsoDate;
  effective: IsoDate | null;
  counts: CountBenefit[];
  amounts: AmountBenefit[];
  grid: GridBenefit[];
  requested: RequestedAnswer[];
}

export interface EligibilityAssessment {
  date: IsoDate;
  insurances: InsuranceAnswer[];
  errors: EnquiryError[];
}
