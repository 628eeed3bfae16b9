import { addDays } from '../domain/policy/calendar.ts';
import { policyExpiryDate, policyStartDate } from '../domain/policy/policy-dates.ts';
import type { PolicyRules } from '../domain/policy/policy-rules.ts';
import { policyValue } from '../domain/policy/policy-value.ts';
import type { PolicyStage } from '../domain/policy/policy.entity.ts';
import type { PayType } from '../domain/policy/premium.entity.ts';
import type { Product } from '../domain/product/product.entity.ts';
import type { IsoDate } from '../domain/shared/dates.ts';
import { fromMinor, toMinor, type Money } from '../domain/shared/money.ts';
import type { FamilyPlan } from './families.ts';
import type { SeededRandom } from './random.ts';
import type { Culture } from './names.ts';
import type { TrainingProducts } from './products.ts';

export interface PremiumPlan {
  id: string;
  amount: Money;
  payDate: IsoDate;
  payType: PayType;
  receipt: string;
  payer: string;
}

/** A policy as issuePolicy would issue it: the server's dates and value, one cover per member. */
export interface PolicyPlan {
  id: string;
  product: Product;
  officerId: string | null;
  stage: PolicyStage;
  enrolDate: IsoDate;
  startDate: IsoDate;
  expiryDate: IsoDate;
  value: Money;
  /** The InsureePolicy ids, one per member in member order. */
  coverIds: string[];
  premiums: PremiumPlan[];
  /** The policy this one renews (planned just before it, for the same family). */
  previousId: string | null;
}

/** What happened to a family: no policy, one that still runs, one that ran out, or one renewed. */
const STORIES = [
  ['none', 15],
  ['current', 62],
  ['expired', 10],
  ['renewed', 13],
] as const;
/** How a policy was paid. */
const CURRENT_PAYMENTS = [
  ['full', 74],
  ['instalments', 8],
  ['partial', 7],
  ['unpaid', 7],
  ['overpaid', 4],
] as const;
const OLD_PAYMENTS = [
  ['full', 88],
  ['partial', 4],
  ['unpaid', 5],
  ['overpaid', 3],
] as const;
type Payment = (typeof CURRENT_PAYMENTS)[number][0];

/**
 * Draws the policies and premiums of the training families, relative to `today`, with the policy
 * register's own rules: start and expiry from policyStartDate/policyExpiryDate, the value from
 * policyValue (ages on the start date, lump sum and extra members, registration, renewal discount).
 * Payments are drawn against that value: mostly in full (once or in two instalments), some in
 * part, some not at all, a few beyond it. Receipts are numbered per product.
 */
export class PolicyPlanner {
  readonly #random: SeededRandom;
  readonly #products: TrainingProducts;
  readonly #officerOfWard: ReadonlyMap<string, string>;
  readonly #rules: PolicyRules;
  readonly #today: IsoDate;
  readonly #receipts = new Map<string, number>();

  constructor(
    random: SeededRandom,
    products: TrainingProducts,
    officerOfWard: ReadonlyMap<string, string>,
    rules: PolicyRules,
    today: IsoDate,
  ) {
    this.#random = random;
    this.#products = products;
    this.#officerOfWard = officerOfWard;
    this.#rules = rules;
    this.#today = today;
  }

  /** The family's policies, oldest first (a renewal follows the policy it renews). */
  plan(family: FamilyPlan, culture: Culture, wardId: string): PolicyPlan[] {
    const random = this.#random;
    const story = random.weighted(STORIES);
    if (story === 'none') {
      return [];
    }
    // Each product sells mostly where its kind of scheme is at home: the family product in Nepal.
    const [home, other] =
      culture === 'nepali'
        ? [this.#products.family, this.#products.perHead]
        : [this.#products.perHead, this.#products.family];
    const product = random.chance(0.8) ? home : other;
    const officerId = this.#officerOfWard.get(wardId) ?? null;
    if (story === 'current') {
      const enrolDate = addDays(this.#today, -random.int(0, 330));
      return [this.#policy(family, product, officerId, enrolDate, null, CURRENT_PAYMENTS)];
    }
    // Old enough that even a cycle three months after enrolment has run out by today.
    const old = this.#policy(
      family,
      product,
      officerId,
      addDays(this.#today, -random.int(470, 700)),
      null,
      OLD_PAYMENTS,
    );
    if (story === 'expired') {
      return [old];
    }
    const renewedOn = addDays(old.expiryDate, random.int(-30, 20));
    const enrolDate = renewedOn < this.#today ? renewedOn : this.#today;
    return [old, this.#policy(family, product, officerId, enrolDate, old, CURRENT_PAYMENTS)];
  }

  #policy(
    family: FamilyPlan,
    product: Product,
    officerId: string | null,
    enrolDate: IsoDate,
    previous: PolicyPlan | null,
    payments: readonly (readonly [Payment, number])[],
  ): PolicyPlan {
    const random = this.#random;
    const startDate = previous
      ? policyStartDate(product, { stage: 'R', enrolDate, previousExpiryDate: previous.expiryDate })
      : policyStartDate(product, { stage: 'N', enrolDate });
    const { value } = policyValue(product, family.members, {
      stage: previous ? 'R' : 'N',
      enrolDate,
      startDate,
      previousExpiryDate: previous?.expiryDate ?? null,
      ageOfMajority: this.#rules.ageOfMajority,
    });
    const plan: PolicyPlan = {
      id: random.id(),
      product,
      officerId,
      stage: previous ? 'R' : 'N',
      enrolDate,
      startDate,
      expiryDate: policyExpiryDate(product, startDate),
      value,
      coverIds: family.members.map(() => random.id()),
      premiums: [],
      previousId: previous?.id ?? null,
    };
    const head = family.members[0]!;
    const payer = `${head.otherNames} ${head.lastName}`;
    const firstDay = this.#dayAfter(enrolDate, 0, 30);
    const due = toMinor(value);
    switch (random.weighted(payments)) {
      case 'full':
        plan.premiums.push(this.#premium(product, due, firstDay, payer));
        break;
      case 'instalments': {
        const first = roundedShare(due, random.int(30, 70));
        plan.premiums.push(this.#premium(product, first, firstDay, payer));
        plan.premiums.push(this.#premium(product, due - first, this.#dayAfter(firstDay, 15, 60), payer));
        break;
      }
      case 'partial':
        plan.premiums.push(this.#premium(product, roundedShare(due, random.int(20, 80)), firstDay, payer));
        break;
      case 'overpaid':
        plan.premiums.push(
          this.#premium(product, due + BigInt(random.int(1, 10)) * 10_000n, firstDay, payer),
        );
        break;
      case 'unpaid':
        break;
    }
    return plan;
  }

  #premium(product: Product, minor: bigint, payDate: IsoDate, payer: string): PremiumPlan {
    const random = this.#random;
    const number = (this.#receipts.get(product.code) ?? 0) + 1;
    this.#receipts.set(product.code, number);
    return {
      id: random.id(),
      amount: fromMinor(minor),
      payDate,
      payType: random.chance(0.7) ? 'C' : 'B',
      receipt: `${product.code}-${String(number).padStart(8, '0')}`,
      payer,
    };
  }

  /** A day `min`–`max` days after `date` (never after today: every date drawn here is not). */
  #dayAfter(date: IsoDate, min: number, max: number): IsoDate {
    const day = addDays(date, this.#random.int(min, max));
    return day < this.#today ? day : this.#today;
  }
}

/** `percent` % of `minor`, down to a whole 100 (at least 100, and less than the whole when it can be). */
function roundedShare(minor: bigint, percent: number): bigint {
  const share = ((minor * BigInt(percent)) / 100n / 10_000n) * 10_000n;
  return share > 0n ? share : minor > 10_000n ? 10_000n : minor / 2n;
}
