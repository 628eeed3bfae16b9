import type { LimitedCategory } from '../product/product.entity.ts';

/**
 * openIMIS's rejection reasons of claim lines (openimis.md §1.5, IG CodeSystem
 * claim-rejection-reasons), by the rule that raises them. The numbers are what integrations know.
 */
export const RejectionReasons = {
  reviewer: -1,
  accepted: 0,
  invalidItemOrService: 1,
  notInPriceList: 2,
  noProduct: 3,
  patientCategory: 4,
  frequency: 5,
  family: 7,
  targetDate: 9,
  careType: 10,
  quantityOverLimit: 16,
  waitingPeriod: 17,
} as const;

/** The claim count reason of each limited category (11–15, 19). */
export const categoryCountReasons: Record<LimitedCategory, number> = {
  hospitalization: 11,
  visit: 12,
  consultation: 13,
  surgery: 14,
  delivery: 15,
  antenatal: 19,
};

export const rejectionDisplays: Record<number, string> = {
  [-1]: 'Rejected by medical officer',
  0: 'Accepted',
  1: 'Invalid item or service',
  2: 'Not in price list',
  3: 'No product found',
  4: 'Category limitation',
  5: 'Frequency failure',
  7: 'Family: no cover on the claim dates',
  9: 'Target date',
  10: 'Care type',
  11: 'Max hospital admissions',
  12: 'Max visits',
  13: 'Max consultations',
  14: 'Max surgeries',
  15: 'Max deliveries',
  16: 'Quantity over limit',
  17: 'Waiting period fail',
  19: 'Max antenatal',
};
