/**
 * The indicator catalogue, declared once (integrations.md Part C "DHIS2"): the data sets and
 * indicators openIMIS sends to DHIS2 (openimis-be-dhis2_etl_py, integrations.md §2.1) with their
 * disaggregations, plus what the implementation guide asks for monitoring. FHIR Measures, the
 * DHIS2 metadata package and every output format are generated from it; the cube engine computes
 * each indicator by its code.
 */

/** A disaggregation (DHIS2 category; FHIR stratifier component; ADX attribute). */
export interface CategoryDefinition {
  code: string;
  name: string;
  /**
   * Fixed options, or `register`: the options are the codes of a register (products, diagnoses,
   * services), read when the metadata package is generated; or `age`: the configured age bands.
   */
  options: readonly { code: string; name: string }[] | 'register' | 'age';
}

export const Categories = {
  AGE_GROUP: { code: 'AGE_GROUP', name: 'Age group', options: 'age' },
  SEX: {
    code: 'SEX',
    name: 'Sex',
    options: [
      { code: 'M', name: 'Male' },
      { code: 'F', name: 'Female' },
      { code: 'O', name: 'Other or unknown' },
    ],
  },
  PRODUCT: { code: 'PRODUCT', name: 'Product', options: 'register' },
  PAYMENT_STATUS: {
    code: 'PAYMENT_STATUS',
    name: 'Payment status',
    options: [
      { code: 'PAID', name: 'Fully paid' },
      { code: 'PARTIALY_PAID', name: 'Partly paid' },
      { code: 'NOT_PAID', name: 'Not paid' },
      { code: 'NO_POLICY', name: 'No policy' },
    ],
  },
  PAYMENT_STATE: {
    code: 'PAYMENT_STATE',
    name: 'Policy stage',
    options: [
      { code: 'NEW', name: 'New' },
      { code: 'RENEW', name: 'Renewal' },
      { code: 'NO_POLICY', name: 'No policy' },
    ],
  },
  CLAIM_STATUS: {
    code: 'CLAIM_STATUS',
    name: 'Claim status',
    options: [
      { code: 'APPROVED', name: 'Valuated' },
      { code: 'PROCESSED', name: 'Processed (relative prices pending)' },
      { code: 'CHECKED', name: 'Checked (in review)' },
      { code: 'ENTERED', name: 'Entered' },
      { code: 'REJECTED', name: 'Rejected' },
    ],
  },
  CLAIM_TYPE: {
    code: 'CLAIM_TYPE',
    name: 'Visit type',
    options: [
      { code: 'EMERGENCY', name: 'Emergency' },
      { code: 'REFERRALS', name: 'Referral' },
      { code: 'OTHER', name: 'Other' },
    ],
  },
  DETAIL_STATUS: {
    code: 'DETAIL_STATUS',
    name: 'Line status',
    options: [
      { code: 'APPROVED', name: 'Approved' },
      { code: 'REJECTED', name: 'Rejected' },
      { code: 'NOT_ASSESSED', name: 'Not assessed' },
    ],
  },
  ICD: { code: 'ICD', name: 'Main diagnosis', options: 'register' },
  SERVICE: { code: 'SERVICE', name: 'Service', options: 'register' },
  REJECTION_REASON: { code: 'REJECTION_REASON', name: 'Rejection reason', options: 'register' },
} as const satisfies Record<string, CategoryDefinition>;
export type CategoryCode = keyof typeof Categories;

/** DHIS2 data sets: the org-unit kind they are reported for, and their period type. */
export const DataSets = {
  ENROLMENT: { code: 'ENROLMENT', name: 'Enrolment and contributions', orgUnits: 'location' },
  PROCESSED_CLAIM: { code: 'PROCESSED_CLAIM', name: 'Claims by health facility', orgUnits: 'facility' },
  MONITORING: { code: 'MONITORING', name: 'Scheme monitoring', orgUnits: 'location' },
} as const;
export type DataSetCode = keyof typeof DataSets;

/**
 * count: a whole number; money: a decimal amount in the scheme's currency; percent, per-1000,
 * days: a decimal rate (two decimals).
 */
export type IndicatorUnit = 'count' | 'money' | 'percent' | 'per-1000' | 'days';

export interface IndicatorDefinition {
  code: string;
  name: string;
  description: string;
  dataSet: DataSetCode;
  unit: IndicatorUnit;
  categories: readonly CategoryCode[];
  /**
   * Whether a zero is reported (DHIS2 stores zeros only for zeroIsSignificant data elements;
   * openIMIS never sends them). Counts and sums of a stratum with no rows are omitted unless set.
   */
  zeroIsSignificant: boolean;
  /** A rate made of two other figures (not summable across org units or strata). */
  rate?: boolean;
}

const claimStrata = ['PRODUCT', 'CLAIM_STATUS', 'CLAIM_TYPE', 'SEX', 'AGE_GROUP'] as const;
const lineStrata = ['PRODUCT', 'CLAIM_STATUS', 'DETAIL_STATUS', 'CLAIM_TYPE', 'SEX', 'AGE_GROUP'] as const;

export const Indicators: readonly IndicatorDefinition[] = [
  // openIMIS ENROLMENT (per ward, rolled up the location tree)
  {
    code: 'NB_INSUREES',
    name: 'Insurees',
    description: 'Live insurees enrolled by the end of the period, by the village of their family.',
    dataSet: 'ENROLMENT',
    unit: 'count',
    categories: ['AGE_GROUP', 'SEX'],
    zeroIsSignificant: false,
  },
  {
    code: 'NB_FAMILY',
    name: 'Families',
    description:
      "Live families enrolled by the end of the period, by their head's age and sex, and by how their latest policy " +
      'in force or waiting at the end of the period is paid and whether it is new or a renewal.',
    dataSet: 'ENROLMENT',
    unit: 'count',
    categories: ['AGE_GROUP', 'SEX', 'PAYMENT_STATUS', 'PAYMENT_STATE'],
    zeroIsSignificant: false,
  },
  {
    code: 'SUM_CONTRIBUTIONS',
    name: 'Contributions collected',
    description: 'Premiums paid in the period (payments less reversals, by pay date), by product.',
    dataSet: 'ENROLMENT',
    unit: 'money',
    categories: ['PRODUCT'],
    zeroIsSignificant: false,
  },
  // openIMIS PROCESSED_CLAIM (per health facility)
  {
    code: 'NB_CLAIM',
    name: 'Claims',
    description: 'Claims whose treatment ended (or began, when it has no end) in the period.',
    dataSet: 'PROCESSED_CLAIM',
    unit: 'count',
    categories: claimStrata,
    zeroIsSignificant: false,
  },
  {
    code: 'NB_CLAIM_ITEM',
    name: 'Items claimed',
    description: 'Quantity of items on those claims (approved quantity, else given).',
    dataSet: 'PROCESSED_CLAIM',
    unit: 'count',
    categories: lineStrata,
    zeroIsSignificant: false,
  },
  {
    code: 'NB_CLAIM_SERVICE',
    name: 'Services claimed',
    description: 'Quantity of services on those claims (approved quantity, else given).',
    dataSet: 'PROCESSED_CLAIM',
    unit: 'count',
    categories: lineStrata,
    zeroIsSignificant: false,
  },
  {
    code: 'NB_CLAIM_SERVICE_ICD',
    name: 'Services by main diagnosis',
    description: "Quantity of services on those claims, by the claim's main diagnosis.",
    dataSet: 'PROCESSED_CLAIM',
    unit: 'count',
    categories: ['PRODUCT', 'CLAIM_STATUS', 'DETAIL_STATUS', 'ICD'],
    zeroIsSignificant: false,
  },
  {
    code: 'SUM_VALUATED_SERVICE',
    name: 'Services valuated',
    description: 'What the scheme pays for the services of those claims (benefit).',
    dataSet: 'PROCESSED_CLAIM',
    unit: 'money',
    categories: lineStrata,
    zeroIsSignificant: false,
  },
  {
    code: 'SUM_ASKED_SERVICE',
    name: 'Services claimed, asked value',
    description: 'Quantity × asked price of the services of those claims.',
    dataSet: 'PROCESSED_CLAIM',
    unit: 'money',
    categories: ['PRODUCT', 'CLAIM_STATUS', 'SERVICE', 'SEX', 'AGE_GROUP'],
    zeroIsSignificant: false,
  },
  {
    code: 'CLAIMS_RECEIVED',
    name: 'Claims received',
    description: 'Claims submitted in the period (by when Kinga received them).',
    dataSet: 'PROCESSED_CLAIM',
    unit: 'count',
    categories: ['CLAIM_TYPE'],
    zeroIsSignificant: true,
  },
  {
    code: 'CLAIMS_VALUATED',
    name: 'Claims valuated',
    description: 'Claims that became valuated in the period.',
    dataSet: 'PROCESSED_CLAIM',
    unit: 'count',
    categories: ['CLAIM_TYPE'],
    zeroIsSignificant: true,
  },
  {
    code: 'DAYS_TO_VALUATION',
    name: 'Average days from claim to valuation',
    description: 'For claims valuated in the period: the mean of days from the claim date to valuation.',
    dataSet: 'PROCESSED_CLAIM',
    unit: 'days',
    categories: [],
    zeroIsSignificant: false,
    rate: true,
  },
  {
    code: 'REJECTION_RATE',
    name: 'Rejected claim lines',
    description:
      'Lines rejected, per 100 lines, of claims whose treatment ended in the period, by rejection reason.',
    dataSet: 'PROCESSED_CLAIM',
    unit: 'percent',
    categories: ['REJECTION_REASON'],
    zeroIsSignificant: false,
    rate: true,
  },
  // Monitoring (implementation guide), per location
  {
    code: 'ACTIVE_POLICIES',
    name: 'Active policies',
    description: 'Policies in force on the last day of the period, by product.',
    dataSet: 'MONITORING',
    unit: 'count',
    categories: ['PRODUCT'],
    zeroIsSignificant: true,
  },
  {
    code: 'MEMBERS_COVERED',
    name: 'Members covered',
    description: 'Insurees whose own cover is in force on the last day of the period.',
    dataSet: 'MONITORING',
    unit: 'count',
    categories: ['PRODUCT', 'SEX', 'AGE_GROUP'],
    zeroIsSignificant: true,
  },
  {
    code: 'POLICIES_ENROLLED',
    name: 'Policies enrolled',
    description: 'Policies enrolled in the period, new or renewals.',
    dataSet: 'MONITORING',
    unit: 'count',
    categories: ['PRODUCT', 'PAYMENT_STATE'],
    zeroIsSignificant: true,
  },
  {
    code: 'RENEWAL_RATE',
    name: 'Renewal rate',
    description: 'Policies that expired in the period and were renewed, per 100 that expired.',
    dataSet: 'MONITORING',
    unit: 'percent',
    categories: ['PRODUCT'],
    zeroIsSignificant: false,
    rate: true,
  },
  {
    code: 'PREMIUM_DUE',
    name: 'Premium due',
    description: 'The value of the policies enrolled in the period.',
    dataSet: 'MONITORING',
    unit: 'money',
    categories: ['PRODUCT'],
    zeroIsSignificant: true,
  },
  {
    code: 'PREMIUM_COLLECTED',
    name: 'Premium collected',
    description: 'Of the policies enrolled in the period, what has been paid by its end.',
    dataSet: 'MONITORING',
    unit: 'money',
    categories: ['PRODUCT'],
    zeroIsSignificant: true,
  },
  {
    code: 'UTILISATION_PER_1000',
    name: 'Claims per 1 000 members',
    description:
      "Claims whose treatment ended in the period, of insurees of the location, per 1 000 members covered on the period's last day.",
    dataSet: 'MONITORING',
    unit: 'per-1000',
    categories: [],
    zeroIsSignificant: false,
    rate: true,
  },
  {
    code: 'COVERAGE_PER_1000',
    name: 'Members covered per 1 000 population',
    description:
      'Members covered on the last day of the period per 1 000 of the population DHIS2 reports for the org unit (a denominator pushed from DHIS2).',
    dataSet: 'MONITORING',
    unit: 'per-1000',
    categories: [],
    zeroIsSignificant: false,
    rate: true,
  },
];

export function indicatorNamed(code: string): IndicatorDefinition | undefined {
  return Indicators.find((i) => i.code === code);
}

/** The age bands of AGE_GROUP from their lower bounds (openIMIS default 6, 13, 19, 26, 36, 56, 76). */
export function ageBands(
  bounds: readonly number[],
): { code: string; name: string; from: number; to: number | null }[] {
  const lows = [0, ...bounds];
  return lows.map((from, index) => {
    const next = lows[index + 1];
    const to = next === undefined ? null : next - 1;
    // ISO 8601 derived periods as mADX and openIMIS write them (P0Y-P5Y … P76Y-P9999Y).
    return {
      code: `P${from}Y-P${to ?? 9999}Y`,
      name: to === null ? `${from} and over` : `${from}–${to}`,
      from,
      to,
    };
  });
}

/** INDICATOR_AGE_BOUNDS ('6,13,19,…') as ascending whole years above 0, each once: the cube and the metadata read the same bands. */
export function ageBoundsFrom(text: string): number[] {
  return [...new Set(text.split(',').map(Number))].filter((n) => n > 0).sort((a, b) => a - b);
}
