/**
 * Adjudication through HTTP, case by case: each case builds its own scheme (a product, the items
 * and services it covers, a facility's price list, an insured family), submits its claims in order
 * with POST /fhir/R4/Claim, and checks every line of every ClaimResponse against money computed by
 * hand in the case (openimis.md §1.5 for the rejection reasons, §2.3 for the valuation steps).
 * Unless a case says otherwise: the register price of an item is 10.00 and of a service 20.00, a
 * product covers with co-insurance 100 % and no limits, the family is one adult woman born
 * 1980-01-01 (a child is born 2015-01-01) insured by a new, active policy from 2025-01-01 to
 * 2025-12-31, the facility treats both in- and out-patients, and the claim is one day, sent that day.
 */
import type { Test } from 'tap';
import t from 'tap';
import type { MedicalItem } from '../../src/domain/medical/medical-item.entity.ts';
import type { MedicalService, ServiceCategory } from '../../src/domain/medical/medical-service.entity.ts';
import type { PolicyStatus } from '../../src/domain/policy/policy.entity.ts';
import type { ProductCoverage } from '../../src/domain/product/product-coverage.entity.ts';
import { buildTestApp, validFhir } from '../helpers/test-app.ts';
import {
  cover,
  facilityWithPrices,
  insureAgain,
  insuredFamily,
  makeItem,
  makeProduct,
  makeService,
  write,
} from '../helpers/eligibility-scheme.ts';
import { answerFor, ask, enquiry, packageBenefit } from '../eligibility/eligibility-fixtures.ts';
import {
  claimOf,
  lineAmounts,
  makeDiagnosis,
  NO_REVIEW,
  quantityApproved,
  totalOf,
} from './claim-fixtures.ts';

const kinga = await buildTestApp(t, NO_REVIEW);
const db = kinga.database;

/** Levers of the register shared by items and services. */
type RegisterLevers = Partial<
  Pick<MedicalItem, 'price' | 'validTo' | 'careType' | 'patientCategory' | 'frequencyDays'>
>;
type CoverageLevers = Partial<ProductCoverage>;
/** Product levers; grids and category limits as plain objects (the ORM embeds them). */
type ProductLevers = Record<string, unknown>;

/** An item or service of the register, in the facility's price list unless `unlisted`. */
interface Target {
  kind: 'item' | 'service';
  /** Services only; O (other) by default, which no category limit counts. */
  category?: ServiceCategory;
  register?: RegisterLevers;
  /** The facility's price list overrules the register price. */
  overrule?: string;
  unlisted?: boolean;
  /** The product's coverage levers; null: the product does not cover it. */
  coverage?: CoverageLevers | null;
}

interface World {
  targets: Target[];
  product?: ProductLevers;
  /**
   * A second policy of the same family: under another product covering targets (by index) with
   * these levers, or without `coverage` under the same product (a renewal), on its own dates.
   */
  second?: { product?: ProductLevers; coverage?: Record<number, CoverageLevers>; policy?: PolicySpec };
  facilityCare?: 'I' | 'O' | 'B';
  /** Birth dates of the family's members; the first heads it. */
  people?: string[];
  gender?: 'M' | 'F';
  policy?: PolicySpec;
}

interface PolicySpec {
  start?: string;
  effective?: string;
  expiry?: string;
  status?: PolicyStatus;
  stage?: 'N' | 'R';
}

interface Line {
  target: number;
  quantity: number;
  /** Asked per unit. */
  price: number;
}

/** What one line's adjudication must show (submitted is quantity × asked, from the claim). */
type Expected =
  | { reason: number }
  | {
      reason: 0;
      quantity: number;
      unit: number;
      eligible: number;
      deductible: number;
      copay: number;
      category: number;
      ceiling: number;
      benefit: number;
    };

interface Step {
  /** Which member is treated (index in `people`). */
  who?: number;
  from: string;
  to?: string;
  /** The claim date (Claim.created); the treatment's last day by default. */
  created?: string;
  visit?: 'O' | 'R' | 'E';
  lines: Line[];
  expect: Expected[];
  /** No line passed: the claim is rejected with reason 1. */
  rejected?: boolean;
  /** Further assertions on the ClaimResponse. */
  check?: (t: Test, response: any) => void;
}

interface Case {
  name: string;
  world: World;
  steps: Step[];
  /** A known engine defect the case shows: run, reported, not failing the suite. */
  todo?: string;
}

const cents = (amount: number): number => Math.round(amount * 100);

/**
 * An accepted line, valued by hand. The parts must add up — eligible = deductible + copay +
 * above the category cap + above the ceiling + benefit, and eligible = quantity × unit — so a slip
 * in a case's arithmetic fails loudly here rather than as a puzzling mismatch.
 */
function paid(v: {
  quantity: number;
  unit: number;
  eligible: number;
  deductible?: number;
  copay?: number;
  category?: number;
  ceiling?: number;
  benefit: number;
}): Expected {
  const line = { deductible: 0, copay: 0, category: 0, ceiling: 0, ...v, reason: 0 as const };
  const parts = [line.deductible, line.copay, line.category, line.ceiling, line.benefit].map(cents);
  if (cents(line.eligible) !== parts.reduce((a, b) => a + b, 0)) {
    throw new Error(`hand arithmetic does not add up: ${JSON.stringify(v)}`);
  }
  if (cents(line.eligible) !== cents(line.unit) * line.quantity) {
    throw new Error(`eligible is not quantity × unit price: ${JSON.stringify(v)}`);
  }
  return line;
}

const rejected = (reason: number): Expected => ({ reason });

const DAY = '2025-06-02';
const plain: Target = { kind: 'item' };
/** A line of a plain item (10.00): one unit asked at 10.00, paid 10.00. */
const good = (target: number): Line => ({ target, quantity: 1, price: 10 });
const goodPaid = paid({ quantity: 1, unit: 10, eligible: 10, benefit: 10 });
const grid = (general: string) => ({ general, inPatient: null, outPatient: null });
/** Patient categories (openIMIS bitmask): 2 female + 4 adult + 8 minor. */
const WOMEN_ONLY = 2 | 4 | 8;

const cases: Case[] = [
  // ——— The rules, each with its openIMIS rejection reason (openimis.md §1.5) ———
  {
    name: 'an item valid only until the day before the treatment: 1 (invalid item or service)',
    world: { targets: [{ kind: 'item', register: { validTo: '2025-06-01' } }, plain] },
    steps: [
      {
        from: DAY,
        lines: [{ target: 0, quantity: 2, price: 10 }, good(1)],
        expect: [rejected(1), goodPaid],
      },
    ],
  },
  {
    name: "an item missing from the facility's price list: 2 (not in price list)",
    world: { targets: [{ kind: 'item', unlisted: true }, plain] },
    steps: [{ from: DAY, lines: [good(0), good(1)], expect: [rejected(2), goodPaid] }],
  },
  {
    name: "an item the patient's product does not cover: 3 (no product found)",
    world: { targets: [{ kind: 'item', coverage: null }, plain] },
    steps: [{ from: DAY, lines: [good(0), good(1)], expect: [rejected(3), goodPaid] }],
  },
  {
    name: 'a women-only item for a man: 4 (category limitation)',
    world: { targets: [{ kind: 'item', register: { patientCategory: WOMEN_ONLY } }, plain], gender: 'M' },
    steps: [{ from: DAY, lines: [good(0), good(1)], expect: [rejected(4), goodPaid] }],
  },
  {
    name: 'the same women-only item for a woman passes',
    world: { targets: [{ kind: 'item', register: { patientCategory: WOMEN_ONLY } }], gender: 'F' },
    steps: [{ from: DAY, lines: [good(0)], expect: [goodPaid] }],
  },
  {
    name: 'an item given at most every 30 days: again after 29 days is 5 (frequency), after 30 passes',
    world: { targets: [{ kind: 'item', register: { frequencyDays: 30 } }, plain] },
    steps: [
      { from: DAY, lines: [good(0)], expect: [goodPaid] },
      // 2025-06-02 + 30 days = 2025-07-02: 2025-07-01 is too early.
      { from: '2025-07-01', lines: [good(0), good(1)], expect: [rejected(5), goodPaid] },
      // The rejected provision of 2025-07-01 was not given: the last is still 2025-06-02.
      { from: '2025-07-02', lines: [good(0)], expect: [goodPaid] },
    ],
  },
  {
    name: "frequency looks back across policies: given under last year's policy 16 days ago is 5",
    world: {
      targets: [{ kind: 'item', register: { frequencyDays: 30 } }, plain],
      policy: { start: '2024-01-01', effective: '2024-01-01', expiry: '2024-12-31', status: 'expired' },
      second: {
        policy: { start: '2025-01-01', effective: '2025-01-01', expiry: '2025-12-31', stage: 'R' },
      },
    },
    steps: [
      { from: '2024-12-20', lines: [good(0)], expect: [goodPaid] },
      // 2024-12-20 + 30 days = 2025-01-19: the renewal does not reset the interval.
      { from: '2025-01-04', lines: [good(0), good(1)], expect: [rejected(5), goodPaid] },
    ],
  },
  {
    name: 'a cover that expired the day before the treatment: 7 on every line, claim rejected',
    world: {
      targets: [plain, plain],
      policy: { start: '2024-06-02', effective: '2024-06-02', expiry: '2025-06-01', status: 'expired' },
    },
    steps: [{ from: DAY, lines: [good(0), good(1)], expect: [rejected(7), rejected(7)], rejected: true }],
  },
  {
    name: 'a claim dated before the treatment: 9 on every line, claim rejected',
    world: { targets: [plain, plain] },
    steps: [
      {
        from: DAY,
        created: '2025-06-01',
        lines: [good(0), good(1)],
        expect: [rejected(9), rejected(9)],
        rejected: true,
      },
    ],
  },
  {
    name: 'an in-patient item at an out-patient facility: 10 (care type)',
    world: { targets: [{ kind: 'item', register: { careType: 'I' } }, plain], facilityCare: 'O' },
    steps: [{ from: DAY, lines: [good(0), good(1)], expect: [rejected(10), goodPaid] }],
  },
  {
    name: 'an out-patient item at an in-patient facility: 10 (care type)',
    world: { targets: [{ kind: 'item', register: { careType: 'O' } }, plain], facilityCare: 'I' },
    steps: [{ from: DAY, lines: [good(0), good(1)], expect: [rejected(10), goodPaid] }],
  },
  {
    name: 'a stay of a night at an out-patient facility: 10 on every line, claim rejected',
    world: { targets: [plain, plain], facilityCare: 'O' },
    steps: [
      {
        from: DAY,
        to: '2025-06-03',
        lines: [good(0), good(1)],
        expect: [rejected(10), rejected(10)],
        rejected: true,
      },
    ],
  },
  {
    name: 'one consultation a year, used by a first claim: the second is 13 (max consultations)',
    world: {
      targets: [{ kind: 'service', category: 'C' }, plain],
      product: { categoryLimits: { consultationCount: 1 } },
    },
    steps: [
      {
        from: DAY,
        lines: [{ target: 0, quantity: 1, price: 20 }],
        expect: [paid({ quantity: 1, unit: 20, eligible: 20, benefit: 20 })],
      },
      {
        from: '2025-06-10',
        lines: [{ target: 0, quantity: 1, price: 20 }, good(1)],
        expect: [rejected(13), goodPaid],
      },
    ],
  },
  {
    name: 'at most 3 units, all 3 given by a first claim: 16 (quantity over limit)',
    world: { targets: [{ kind: 'item', coverage: { maxProvisionsAdult: 3 } }, plain] },
    steps: [
      {
        from: DAY,
        lines: [{ target: 0, quantity: 3, price: 10 }],
        expect: [paid({ quantity: 3, unit: 10, eligible: 30, benefit: 30 })],
      },
      {
        from: '2025-06-10',
        lines: [{ target: 0, quantity: 2, price: 10 }, good(1)],
        expect: [rejected(16), goodPaid],
      },
    ],
  },
  {
    name: 'at most 3 units, 2 given by a first claim: 3 asked, 1 approved (quantity reduced, not rejected)',
    world: { targets: [{ kind: 'item', coverage: { maxProvisionsAdult: 3 } }] },
    steps: [
      {
        from: DAY,
        lines: [{ target: 0, quantity: 2, price: 10 }],
        expect: [paid({ quantity: 2, unit: 10, eligible: 20, benefit: 20 })],
      },
      {
        from: '2025-06-10',
        // Submitted 3 × 10.00 = 30.00; 3 − 2 = 1 left: eligible 1 × 10.00 = 10.00.
        lines: [{ target: 0, quantity: 3, price: 10 }],
        expect: [paid({ quantity: 1, unit: 10, eligible: 10, benefit: 10 })],
      },
    ],
  },
  {
    name: 'waiting period of 3 months (adult) and 6 (child) from 2025-01-01: 17 before, accepted on the day',
    world: {
      targets: [
        { kind: 'item', coverage: { waitingPeriodAdultMonths: 3, waitingPeriodChildMonths: 6 } },
        plain,
      ],
      people: ['1980-01-01', '2015-01-01'],
    },
    steps: [
      { who: 0, from: '2025-03-31', lines: [good(0), good(1)], expect: [rejected(17), goodPaid] },
      { who: 0, from: '2025-04-01', lines: [good(0)], expect: [goodPaid] },
      { who: 1, from: '2025-06-30', lines: [good(0), good(1)], expect: [rejected(17), goodPaid] },
      { who: 1, from: '2025-07-01', lines: [good(0)], expect: [goodPaid] },
    ],
  },
  {
    // A Kinga rule, as eligibility answers it: a renewal continues cover, so the waiting period runs
    // once, under the new policy. openIMIS also waits when a member joined a policy after its
    // effective date, whatever its stage (openimis.md §2.3).
    name: 'a renewed policy (stage R) has no waiting period',
    world: {
      targets: [{ kind: 'item', coverage: { waitingPeriodAdultMonths: 3 } }],
      policy: { stage: 'R' },
    },
    steps: [{ from: '2025-01-02', lines: [good(0)], expect: [goodPaid] }],
  },
  {
    name: 'every line rejected, for different reasons: the claim is rejected with reason 1',
    world: {
      targets: [
        { kind: 'item', register: { validTo: '2025-01-31' } },
        { kind: 'item', unlisted: true },
      ],
    },
    steps: [{ from: DAY, lines: [good(0), good(1)], expect: [rejected(1), rejected(2)], rejected: true }],
  },

  // ——— Valuation, step by step (openimis.md §2.3 "Product assignment & valuation") ———
  {
    name: "price origin P: the price list's overrule, else the register price; the asked price is ignored",
    world: { targets: [{ kind: 'item', overrule: '8.50' }, plain] },
    steps: [
      {
        from: DAY,
        lines: [
          { target: 0, quantity: 2, price: 12 },
          { target: 1, quantity: 1, price: 12 },
        ],
        expect: [
          // Asked 2 × 12.00 = 24.00; valued 2 × 8.50 (overrule) = 17.00.
          paid({ quantity: 2, unit: 8.5, eligible: 17, benefit: 17 }),
          // Asked 12.00; valued at the register's 10.00.
          paid({ quantity: 1, unit: 10, eligible: 10, benefit: 10 }),
        ],
      },
    ],
  },
  {
    name: "price origin O: the provider's own (asked) price",
    world: { targets: [{ kind: 'item', coverage: { priceOrigin: 'O' } }] },
    steps: [
      {
        from: DAY,
        // 2 × 13.75 = 27.50, not the register's 10.00.
        lines: [{ target: 0, quantity: 2, price: 13.75 }],
        expect: [paid({ quantity: 2, unit: 13.75, eligible: 27.5, benefit: 27.5 })],
      },
    ],
  },
  {
    name: 'fixed limit F 15.00: the scheme pays at most 15.00 a unit',
    world: {
      targets: [
        {
          kind: 'item',
          register: { price: '20.00' },
          coverage: { limitationType: 'F', limitAdult: '15.00' },
        },
        { kind: 'item', coverage: { limitationType: 'F', limitAdult: '15.00' } },
      ],
    },
    steps: [
      {
        from: DAY,
        lines: [
          { target: 0, quantity: 3, price: 20 },
          { target: 1, quantity: 2, price: 10 },
        ],
        expect: [
          // 3 × 20.00 = 60.00, capped at 3 × 15.00 = 45.00: the patient pays 15.00.
          paid({ quantity: 3, unit: 20, eligible: 60, copay: 15, benefit: 45 }),
          // 2 × 10.00 = 20.00, under 2 × 15.00 = 30.00: paid in full.
          paid({ quantity: 2, unit: 10, eligible: 20, benefit: 20 }),
        ],
      },
    ],
  },
  {
    name: 'co-insurance C 80 %: the patient pays 20 %',
    world: {
      targets: [{ kind: 'service', register: { price: '25.00' }, coverage: { limitAdult: '80.00' } }],
    },
    steps: [
      {
        from: DAY,
        // 25.00 × 80 % = 20.00 paid; 5.00 co-insurance.
        lines: [{ target: 0, quantity: 1, price: 25 }],
        expect: [paid({ quantity: 1, unit: 25, eligible: 25, copay: 5, benefit: 20 })],
      },
    ],
  },
  {
    name: 'a deductible of 20.00 per insuree spans two claims, consumed before co-insurance (80 %)',
    world: {
      targets: [
        { kind: 'item', register: { price: '12.50' }, coverage: { limitAdult: '80.00' } },
        { kind: 'item', coverage: { limitAdult: '80.00' } },
      ],
      product: { deductiblePerInsuree: grid('20.00') },
    },
    steps: [
      {
        from: DAY,
        // 12.50, all of it deductible (20.00 left): nothing left for co-insurance.
        lines: [{ target: 0, quantity: 1, price: 12.5 }],
        expect: [paid({ quantity: 1, unit: 12.5, eligible: 12.5, deductible: 12.5, benefit: 0 })],
      },
      {
        from: '2025-06-10',
        // 3 × 10.00 = 30.00; deductible left 20.00 − 12.50 = 7.50; 30.00 − 7.50 = 22.50;
        // × 80 % = 18.00 paid, 4.50 co-insurance.
        lines: [{ target: 1, quantity: 3, price: 10 }],
        expect: [paid({ quantity: 3, unit: 10, eligible: 30, deductible: 7.5, copay: 4.5, benefit: 18 })],
      },
      {
        from: '2025-06-20',
        // The deductible is used up: 10.00 × 80 % = 8.00.
        lines: [{ target: 1, quantity: 1, price: 10 }],
        expect: [paid({ quantity: 1, unit: 10, eligible: 10, copay: 2, benefit: 8 })],
      },
    ],
  },
  {
    name: 'consultations capped at 50.00 a year: a second consultation of 30.00 gets 20.00',
    world: {
      targets: [{ kind: 'service', category: 'C', register: { price: '30.00' } }],
      product: { categoryLimits: { consultationAmount: '50.00' } },
    },
    steps: [
      {
        from: DAY,
        lines: [{ target: 0, quantity: 1, price: 30 }],
        expect: [paid({ quantity: 1, unit: 30, eligible: 30, benefit: 30 })],
      },
      {
        from: '2025-06-10',
        // 50.00 − 30.00 paid = 20.00 left: 10.00 above the category cap.
        lines: [{ target: 0, quantity: 1, price: 30 }],
        expect: [paid({ quantity: 1, unit: 30, eligible: 30, category: 10, benefit: 20 })],
      },
    ],
  },
  {
    name: "a ceiling of 100.00 per insuree: reached by one member's claims, not by another's",
    world: {
      targets: [plain],
      product: { ceilingPerInsuree: grid('100.00') },
      people: ['1980-01-01', '1982-01-01'],
    },
    steps: [
      {
        from: DAY,
        lines: [{ target: 0, quantity: 8, price: 10 }],
        expect: [paid({ quantity: 8, unit: 10, eligible: 80, benefit: 80 })],
      },
      {
        from: '2025-06-10',
        // 100.00 − 80.00 = 20.00 left of 30.00: 10.00 above the ceiling.
        lines: [{ target: 0, quantity: 3, price: 10 }],
        expect: [paid({ quantity: 3, unit: 10, eligible: 30, ceiling: 10, benefit: 20 })],
      },
      {
        from: '2025-06-20',
        // Nothing left: all of it above the ceiling.
        lines: [{ target: 0, quantity: 1, price: 10 }],
        expect: [paid({ quantity: 1, unit: 10, eligible: 10, ceiling: 10, benefit: 0 })],
      },
      {
        who: 1,
        from: '2025-06-20',
        // The spouse's own ceiling is untouched.
        lines: [{ target: 0, quantity: 3, price: 10 }],
        expect: [paid({ quantity: 3, unit: 10, eligible: 30, benefit: 30 })],
      },
    ],
  },
  {
    // openIMIS tests `is_adult` without calling it, so a child's exclusion never applies and an
    // adult's applies to children (openimis.md §2.4); here each applies to its own age group.
    name: 'ceiling exclusions by age: the child-excluded item is capped for the adult only, and the reverse',
    world: {
      targets: [
        { kind: 'item', coverage: { ceilingExclusionChild: 'B' } },
        { kind: 'item', coverage: { ceilingExclusionAdult: 'B' } },
      ],
      product: { ceilingPerTreatment: grid('50.00') },
      people: ['1980-01-01', '2015-01-01'],
    },
    steps: [
      {
        who: 0,
        from: DAY,
        lines: [
          { target: 0, quantity: 6, price: 10 },
          { target: 1, quantity: 6, price: 10 },
        ],
        expect: [
          // Adult, not excluded: 60.00 against a treatment ceiling of 50.00 → 10.00 above it.
          paid({ quantity: 6, unit: 10, eligible: 60, ceiling: 10, benefit: 50 }),
          // Excluded for adults: 60.00 in full.
          paid({ quantity: 6, unit: 10, eligible: 60, benefit: 60 }),
        ],
        check: (t, body) => t.same(ceilingNotes(body), [undefined, 'excluded from ceilings']),
      },
      {
        who: 1,
        from: DAY,
        lines: [
          { target: 0, quantity: 6, price: 10 },
          { target: 1, quantity: 6, price: 10 },
        ],
        expect: [
          // Excluded for children: 60.00 in full, and not counted against the ceiling.
          paid({ quantity: 6, unit: 10, eligible: 60, benefit: 60 }),
          // Child, not excluded: 50.00 of the ceiling left (line 1 does not count) → 10.00 above.
          paid({ quantity: 6, unit: 10, eligible: 60, ceiling: 10, benefit: 50 }),
        ],
        check: (t, body) => t.same(ceilingNotes(body), ['excluded from ceilings', undefined]),
      },
    ],
  },
  {
    name: 'the visit type chooses the limitation: other 100 %, referral 50 %, emergency fixed 4.00',
    world: {
      targets: [
        {
          kind: 'item',
          coverage: {
            limitAdult: '100.00',
            limitAdultReferral: '50.00',
            limitationTypeEmergency: 'F',
            limitAdultEmergency: '4.00',
          },
        },
      ],
    },
    steps: [
      {
        from: DAY,
        visit: 'O',
        lines: [{ target: 0, quantity: 2, price: 10 }],
        expect: [paid({ quantity: 2, unit: 10, eligible: 20, benefit: 20 })],
      },
      {
        from: DAY,
        visit: 'R',
        // 20.00 × 50 % (limitAdultReferral) = 10.00.
        lines: [{ target: 0, quantity: 2, price: 10 }],
        expect: [paid({ quantity: 2, unit: 10, eligible: 20, copay: 10, benefit: 10 })],
      },
      {
        from: DAY,
        visit: 'E',
        // At most 2 × 4.00 = 8.00 of 20.00.
        lines: [{ target: 0, quantity: 2, price: 10 }],
        expect: [paid({ quantity: 2, unit: 10, eligible: 20, copay: 12, benefit: 8 })],
      },
    ],
  },
  {
    name: 'two products cover the same items: each line goes to the one leaving the patient less to pay',
    world: {
      targets: [
        { kind: 'item', register: { price: '20.00' }, coverage: { limitAdult: '80.00' } },
        { kind: 'item', coverage: { limitAdult: '90.00' } },
      ],
      second: {
        coverage: {
          0: { limitationType: 'F', limitAdult: '18.00' },
          1: { limitationType: 'F', limitAdult: '5.00' },
        },
      },
    },
    steps: [
      {
        from: DAY,
        lines: [
          { target: 0, quantity: 2, price: 20 },
          { target: 1, quantity: 1, price: 10 },
        ],
        expect: [
          // 40.00: the first leaves 20 % = 8.00, the second (2 × 18.00 = 36.00) 4.00 → the second.
          paid({ quantity: 2, unit: 20, eligible: 40, copay: 4, benefit: 36 }),
          // 10.00: the first leaves 10 % = 1.00, the second (5.00) 5.00 → the first.
          paid({ quantity: 1, unit: 10, eligible: 10, copay: 1, benefit: 9 }),
        ],
        check: (t, body) =>
          t.same(copayNotes(body), [
            'fixed limit: the scheme pays at most 18.00 a unit',
            'co-insurance: the scheme pays 90.00 %',
          ]),
      },
    ],
  },
  {
    name: 'decimal money: cents are kept and rounded half away from zero, never truncated',
    world: {
      targets: [
        { kind: 'item', register: { price: '33.33' }, coverage: { limitAdult: '87.50' } },
        { kind: 'item', register: { price: '0.35' }, coverage: { limitAdult: '87.50' } },
      ],
    },
    steps: [
      {
        from: DAY,
        lines: [
          { target: 0, quantity: 3, price: 33.33 },
          { target: 1, quantity: 7, price: 0.35 },
        ],
        expect: [
          // 3 × 33.33 = 99.99 (openIMIS: int → 99); × 87.5 % = 87.49125 → 87.49; co-insurance 12.5 %: 12.50.
          paid({ quantity: 3, unit: 33.33, eligible: 99.99, copay: 12.5, benefit: 87.49 }),
          // 7 × 0.35 = 2.45 (openIMIS: 2); × 87.5 % = 2.14375 → 2.14; co-insurance 0.31.
          paid({ quantity: 7, unit: 0.35, eligible: 2.45, copay: 0.31, benefit: 2.14 }),
        ],
      },
    ],
  },
];

/** Per line, the exceed-ceiling adjudication's reason text (set when the line is excluded). */
function ceilingNotes(response: any): (string | undefined)[] {
  return response.item.map(
    (i: any) => i.adjudication.find((a: any) => a.category.coding[0].code === 'exceed-ceiling')?.reason?.text,
  );
}

/** Per line, the copay adjudication's reason text (the limitation applied). */
function copayNotes(response: any): (string | undefined)[] {
  return response.item.map(
    (i: any) => i.adjudication.find((a: any) => a.category.coding[0].code === 'copay')?.reason?.text,
  );
}

interface Built {
  codes: { kind: 'item' | 'service'; code: string }[];
  facility: string;
  members: string[];
  diagnosis: string;
}

async function build(world: World): Promise<Built> {
  return write(db, async (tx) => {
    const product = makeProduct(tx, world.product ?? {});
    const records = world.targets.map((target): { item: MedicalItem } | { service: MedicalService } =>
      target.kind === 'item'
        ? { item: makeItem(tx, target.register) }
        : { service: makeService(tx, target.category ?? 'O', target.register) },
    );
    world.targets.forEach((target, index) => {
      if (target.coverage !== null) {
        cover(tx, product, records[index]!, target.coverage ?? {});
      }
    });
    const items: { item: MedicalItem; overrule?: string }[] = [];
    const services: { service: MedicalService; overrule?: string }[] = [];
    records.forEach((record, index) => {
      const { unlisted, overrule } = world.targets[index]!;
      if (!unlisted) {
        if ('item' in record) {
          items.push({ item: record.item, overrule });
        } else {
          services.push({ service: record.service, overrule });
        }
      }
    });
    const facility = facilityWithPrices(tx, { items, services }, world.facilityCare ?? 'B');
    const terms = {
      start: '2025-01-01',
      effective: '2025-01-01',
      expiry: '2025-12-31',
      ...world.policy,
    };
    const { members } = insuredFamily(
      tx,
      world.people ?? ['1980-01-01'],
      { ...terms, product },
      world.gender ?? 'F',
    );
    if (world.second) {
      const { coverage, policy } = world.second;
      const other = coverage ? makeProduct(tx, world.second.product ?? {}) : product;
      for (const [index, levers] of Object.entries(coverage ?? {})) {
        cover(tx, other, records[Number(index)]!, levers);
      }
      insureAgain(tx, members, { ...terms, ...policy, product: other });
    }
    return {
      codes: records.map((r) =>
        'item' in r
          ? { kind: 'item' as const, code: r.item.code }
          : { kind: 'service' as const, code: r.service.code },
      ),
      facility: facility.id,
      members: members.map((m) => m.id),
      diagnosis: makeDiagnosis(tx).code,
    };
  });
}

const ADJUSTED = ['eligible', 'deductible', 'copay', 'benefit'] as const;

/** Submits one step's claim and checks every line and the totals. */
async function submit(t: Test, built: Built, step: Step): Promise<any> {
  const response = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Claim',
    body: claimOf({
      patient: built.members[step.who ?? 0]!,
      facility: built.facility,
      diagnosis: built.diagnosis,
      from: step.from,
      ...(step.to ? { to: step.to } : {}),
      ...(step.created ? { created: step.created } : {}),
      ...(step.visit ? { visit: step.visit } : {}),
      lines: step.lines.map((line) => ({
        ...built.codes[line.target]!,
        quantity: line.quantity,
        price: line.price,
      })),
    }),
  });
  t.equal(response.status, 201, response.status === 201 ? 'created' : JSON.stringify(response.body));
  const body = validFhir(t, response, 'ClaimResponse');
  t.equal(body.resourceType, 'ClaimResponse');
  t.equal(body.outcome, 'complete', 'valuated or rejected: nothing waits');
  const totals = { submitted: 0, eligible: 0, deductible: 0, copay: 0, benefit: 0 };
  step.expect.forEach((expected, index) => {
    const sequence = index + 1;
    const line = step.lines[index]!;
    const submitted = (cents(line.price) * line.quantity) / 100;
    totals.submitted += cents(submitted);
    if (!('quantity' in expected)) {
      t.same(lineAmounts(body, sequence), { submitted, reason: String(expected.reason) }, `line ${sequence}`);
      return;
    }
    t.same(
      lineAmounts(body, sequence),
      {
        submitted,
        'unit-price': expected.unit,
        eligible: expected.eligible,
        deductible: expected.deductible,
        copay: expected.copay,
        'exceed-category': expected.category,
        'exceed-ceiling': expected.ceiling,
        benefit: expected.benefit,
        remunerated: expected.benefit,
        reason: '0',
      },
      `line ${sequence}`,
    );
    t.equal(quantityApproved(body, sequence), expected.quantity, `line ${sequence}: quantity approved`);
    for (const key of ADJUSTED) {
      totals[key] += cents(expected[key]);
    }
  });
  for (const [key, value] of Object.entries(totals)) {
    t.equal(totalOf(body, key), value / 100, `total ${key}`);
  }
  if (step.rejected) {
    t.match(body.disposition, /^Rejected/);
    t.same(
      body.error.map((e: any) => e.code.coding[0].code),
      ['1'],
      'claim rejected with reason 1',
    );
  } else {
    t.equal(body.disposition, 'Valuated');
    t.equal(body.error, undefined);
    t.equal(totalOf(body, 'remunerated'), totals.benefit / 100, 'the benefit is what is paid');
  }
  step.check?.(t, body);
  return body;
}

for (const c of cases) {
  t.test(c.name, { todo: c.todo ?? false }, async (t) => {
    const built = await build(c.world);
    for (const [index, step] of c.steps.entries()) {
      await t.test(`claim ${index + 1} on ${step.from}`, (t) => submit(t, built, step));
    }
  });
}

t.test('the usage ledger moves with the claim: eligibility shows what it used', async (t) => {
  /**
   * A deductible of 20.00 and a ceiling of 500.00 per insuree, 3 consultations a year worth at
   * most 100.00; the item at most 5 units. One claim: a consultation of 30.00 and 2 units of the
   * item at 10.00 (a consultation claim, so the item counts against the consultation amount too).
   */
  const built = await build({
    targets: [
      { kind: 'service', category: 'C', register: { price: '30.00' } },
      { kind: 'item', coverage: { maxProvisionsAdult: 5 } },
    ],
    product: {
      deductiblePerInsuree: grid('20.00'),
      ceilingPerInsuree: grid('500.00'),
      categoryLimits: { consultationCount: 3, consultationAmount: '100.00' },
    },
  });
  const consultation = built.codes[0]!;
  const item = built.codes[1]!;
  const patient = { reference: `Patient/${built.members[0]}` };
  const question = enquiry(patient, '2025-06-10', [
    { kind: 'service', code: consultation.code },
    { kind: 'item', code: item.code },
  ]);
  const benefits = async () => {
    const answer = await ask(t, kinga, question);
    t.equal(answer.insurance.length, 1, 'one policy');
    const insurance = answer.insurance[0];
    return {
      consultations: packageBenefit(insurance, 'consultation-count'),
      consultationAmount: packageBenefit(insurance, 'consultation-amount'),
      deductible: packageBenefit(insurance, 'deductible-insuree-general'),
      ceiling: packageBenefit(insurance, 'ceiling-insuree-general'),
      item: answerFor(insurance, item.code).quantity,
    };
  };
  t.same(await benefits(), {
    consultations: { allowed: 3, used: 0, remaining: 3 },
    consultationAmount: { allowed: 100, used: 0, remaining: 100 },
    deductible: { allowed: 20, used: 0, remaining: 20 },
    ceiling: { allowed: 500, used: 0, remaining: 500 },
    item: { allowed: 5, used: 0, remaining: 5 },
  });
  await submit(t, built, {
    from: DAY,
    lines: [
      { target: 0, quantity: 1, price: 30 },
      { target: 1, quantity: 2, price: 10 },
    ],
    expect: [
      // 30.00: the whole deductible 20.00 first, 10.00 paid.
      paid({ quantity: 1, unit: 30, eligible: 30, deductible: 20, benefit: 10 }),
      // 20.00: no deductible left; 100.00 − 10.00 of the consultation amount left: paid in full.
      paid({ quantity: 2, unit: 10, eligible: 20, benefit: 20 }),
    ],
  });
  t.same(await benefits(), {
    consultations: { allowed: 3, used: 1, remaining: 2 },
    // The scheme paid 10.00 + 20.00 = 30.00 under the consultation claim.
    consultationAmount: { allowed: 100, used: 30, remaining: 70 },
    deductible: { allowed: 20, used: 20, remaining: 0 },
    ceiling: { allowed: 500, used: 30, remaining: 470 },
    item: { allowed: 5, used: 2, remaining: 3 },
  });
});
