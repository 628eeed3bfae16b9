import {
  insuranceNumberProblem,
  withCheckDigit,
  type InsuranceNumberRules,
} from '../domain/insuree/insurance-number.ts';

/** Without a configured length, numbers have 9 characters, as openIMIS's CHFIDs usually do. */
const DEFAULT_LENGTH = 9;

/**
 * Issues insurance numbers under the scheme's rules, counting up from a block's first digit:
 * seeded insurees get the block starting with 1, so numbers given out elsewhere (the benchmark
 * uses 9) cannot collide with them.
 */
export class InsuranceNumbers {
  readonly #rules: InsuranceNumberRules;
  readonly #bodyLength: number;
  readonly #first: bigint;
  #next = 0n;

  constructor(rules: InsuranceNumberRules, block: number) {
    if (!Number.isInteger(block) || block < 1 || block > 9) {
      throw new Error('The block is a digit 1-9');
    }
    this.#rules = rules;
    this.#bodyLength = (rules.length ?? DEFAULT_LENGTH) - (rules.checkDigit === 'none' ? 0 : 1);
    if (this.#bodyLength < 2) {
      throw new Error('Insurance numbers are too short to number a data set');
    }
    this.#first = BigInt(block) * 10n ** BigInt(this.#bodyLength - 1);
  }

  /** Characters in every number issued. */
  get length(): number {
    return this.#bodyLength + (this.#rules.checkDigit === 'none' ? 0 : 1);
  }

  /** How many numbers one block holds. */
  get capacity(): number {
    return Number(10n ** BigInt(this.#bodyLength - 1));
  }

  /** Continues after `last`, the highest number already issued from this block (if any). */
  continueAfter(last: string | undefined): this {
    if (last === undefined) {
      return this;
    }
    const body = this.#rules.checkDigit === 'none' ? last : last.slice(0, -1);
    this.#next = BigInt(body) - this.#first + 1n;
    return this;
  }

  next(): string {
    if (this.#next >= BigInt(this.capacity)) {
      throw new Error(`The block of ${this.capacity} insurance numbers is used up`);
    }
    const number = withCheckDigit(String(this.#first + this.#next), this.#rules);
    this.#next += 1n;
    const problem = insuranceNumberProblem(number, this.#rules);
    if (problem) {
      throw new Error(`Generated insurance number ${number} is invalid: ${problem}`);
    }
    return number;
  }
}
