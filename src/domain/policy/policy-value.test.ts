import t from 'tap';
import type { KingaError } from '../shared/errors.ts';
import { policyValue, type PricedMember, type PricingTerms, type ValueRequest } from './policy-value.ts';

// On the start date 2024-07-01 with majority at 18: born 1980 → adult, born 2015 → child.
const adult: PricedMember = { birthDate: '1980-01-01', relationship: null };
const child: PricedMember = { birthDate: '2015-01-01', relationship: '4' };
const otherAdult: PricedMember = { birthDate: '1975-05-05', relationship: '7' };
const otherChild: PricedMember = { birthDate: '2016-05-05', relationship: '7' };
const family = (adults: number, children: number): PricedMember[] => [
  ...Array<PricedMember>(adults).fill(adult),
  ...Array<PricedMember>(children).fill(child),
];

const lumpSum: PricingTerms = {
  lumpSum: '100.00',
  threshold: 4,
  maxMembers: 8,
  premiumAdult: '30.00',
  premiumChild: '15.00',
  startCycles: [],
};
const perHead: PricingTerms = { ...lumpSum, lumpSum: null, threshold: null };
const withFees: PricingTerms = { ...lumpSum, registrationFee: '5.00', generalAssemblyFee: '2.00' };
const newPolicy: ValueRequest = {
  stage: 'N',
  enrolDate: '2024-07-01',
  startDate: '2024-07-01',
  ageOfMajority: 18,
};
const renewal: ValueRequest = {
  stage: 'R',
  enrolDate: '2024-06-20',
  startDate: '2024-07-01',
  previousExpiryDate: '2024-06-30',
  ageOfMajority: 18,
};

const cases: {
  name: string;
  terms: PricingTerms;
  members: PricedMember[];
  request?: ValueRequest;
  value: string;
  expect?: Record<string, unknown>;
}[] = [
  {
    name: 'lump sum covers a family within the threshold',
    terms: lumpSum,
    members: family(2, 2), // 4 ≤ threshold 4
    value: '100.00',
    expect: { adults: 2, children: 2, extraAdults: 0, extraChildren: 0 },
  },
  {
    name: 'children beyond the threshold pay the child premium',
    terms: lumpSum,
    members: family(2, 4), // 2 adults + 2 children in the lump sum; 2 extra children: 100 + 2 × 15
    value: '130.00',
    expect: { extraAdults: 0, extraChildren: 2, contribution: '130.00' },
  },
  {
    name: 'adults fill the lump sum first',
    terms: lumpSum,
    members: family(5, 1), // 4 adults in the lump sum; 1 extra adult, 1 extra child: 100 + 30 + 15
    value: '145.00',
    expect: { extraAdults: 1, extraChildren: 1 },
  },
  {
    name: 'one adult, five children: three children share the lump sum',
    terms: lumpSum,
    members: family(1, 5), // slots 4 − 1 adult = 3 children; 2 extra: 100 + 2 × 15
    value: '130.00',
  },
  {
    name: 'without a threshold the lump sum covers the whole family',
    terms: { ...lumpSum, threshold: null },
    members: family(3, 3),
    value: '100.00',
  },
  {
    name: 'without a lump sum everyone pays per head',
    terms: perHead,
    members: family(2, 3), // 2 × 30 + 3 × 15
    value: '105.00',
  },
  {
    name: '"other" relations pay per head even within the threshold (openIMIS: 100.00)',
    terms: lumpSum,
    // core 2 adults + 1 child (3 ≤ 4) in the lump sum; the other adult pays 30: 130.
    // openIMIS never recognises relation 7 and counts 4 members ≤ threshold: 100.
    members: [adult, adult, child, otherAdult],
    value: '130.00',
    expect: { otherAdults: 1, otherChildren: 0, extraAdults: 0, extraChildren: 0 },
  },
  {
    name: 'an "other" child pays the child premium',
    terms: lumpSum,
    members: [adult, otherChild], // 100 + 15
    value: '115.00',
  },
  {
    name: 'ages are taken on the start date, not on the day of computing',
    terms: perHead,
    // born 2006-07-01: 18 on the start date 2024-07-01 → adult: 30 + 30
    members: [adult, { birthDate: '2006-07-01' }],
    value: '60.00',
  },
  {
    name: 'a member not yet of age on the start date is a child',
    terms: perHead,
    // born 2006-07-02: still 17 on 2024-07-01 → child: 30 + 15 (though adult a day later)
    members: [adult, { birthDate: '2006-07-02' }],
    value: '45.00',
  },
  {
    name: 'registration and general assembly fees per member for a new policy',
    terms: withFees,
    members: family(2, 2), // 100 + registration 4 × 5 + assembly 4 × 2 = 100 + 20 + 8
    value: '128.00',
    expect: { registration: '20.00', generalAssembly: '8.00' },
  },
  {
    name: 'a renewal pays the general assembly fee but no registration',
    terms: withFees,
    members: family(2, 2),
    request: renewal, // 100 + 4 × 2
    value: '108.00',
    expect: { registration: '0.00' },
  },
  {
    name: 'fee lump sums replace the per-member fees',
    terms: { ...withFees, registrationLumpSum: '25.00', generalAssemblyLumpSum: '10.00' },
    members: family(2, 2), // 100 + 25 + 10
    value: '135.00',
  },
  {
    name: 'enrolment discount: enrolled exactly N months before the cycle start',
    terms: {
      ...withFees,
      startCycles: ['01-07'],
      enrolmentDiscountPercent: '10',
      enrolmentDiscountPeriodMonths: 2,
    },
    members: family(2, 2),
    // 2024-05-01 ≤ 2024-07-01 − 2 months: 128.00 − 10 % (12.80) = 115.20
    request: { ...newPolicy, enrolDate: '2024-05-01' },
    value: '115.20',
    expect: { discountPercent: '10.00', discount: '12.80' },
  },
  {
    name: 'enrolment discount: a day too late',
    terms: {
      ...withFees,
      startCycles: ['01-07'],
      enrolmentDiscountPercent: '10',
      enrolmentDiscountPeriodMonths: 2,
    },
    members: family(2, 2),
    request: { ...newPolicy, enrolDate: '2024-05-02' },
    value: '128.00',
    expect: { discount: '0.00' },
  },
  {
    name: 'enrolment discount needs cycles: free enrolment has no cycle start to be early for',
    terms: { ...withFees, enrolmentDiscountPercent: '10', enrolmentDiscountPeriodMonths: 2 },
    members: family(2, 2),
    request: { ...newPolicy, enrolDate: '2024-04-01' },
    value: '128.00',
  },
  {
    name: 'renewal discount: renewed N months before the previous expiry + 1',
    terms: { ...withFees, renewalDiscountPercent: '5', renewalDiscountPeriodMonths: 1 },
    members: family(2, 2),
    // 2024-06-01 ≤ (2024-06-30 + 1 day) − 1 month = 2024-06-01: 108.00 − 5.40
    request: { ...renewal, enrolDate: '2024-06-01' },
    value: '102.60',
  },
  {
    name: 'renewal discount: a day too late',
    terms: { ...withFees, renewalDiscountPercent: '5', renewalDiscountPeriodMonths: 1 },
    members: family(2, 2),
    request: { ...renewal, enrolDate: '2024-06-02' },
    value: '108.00',
  },
  {
    name: 'cents are kept and the discount rounds half away from zero',
    terms: {
      ...perHead,
      premiumAdult: '33.33',
      startCycles: ['01-07'],
      enrolmentDiscountPercent: '12.5',
      enrolmentDiscountPeriodMonths: 1,
    },
    members: family(3, 0),
    // 3 × 33.33 = 99.99; 12.5 % = 12.49875 → 12.50; 99.99 − 12.50 = 87.49 (no float, no truncation)
    request: { ...newPolicy, enrolDate: '2024-05-15' },
    value: '87.49',
  },
  {
    name: 'a family at the maximum is priced',
    terms: lumpSum,
    members: family(4, 4), // 8 = max; 4 adults in the lump sum, 4 extra children: 100 + 60
    value: '160.00',
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const result = policyValue(c.terms, c.members, c.request ?? newPolicy);
    t.equal(result.value, c.value);
    if (c.expect) {
      t.match(result, c.expect);
    }
  });
}

t.test('a family larger than the maximum is refused, not silently truncated', async (t) => {
  // openIMIS prices the first 8 members and leaves the 9th uninsured without telling anyone.
  const error = t.throws(() => policyValue(lumpSum, family(5, 4), newPolicy)) as KingaError;
  t.equal(error.code, 'policy.family-too-large');
  t.same(error.params, { count: 9, max: 8 });
});
