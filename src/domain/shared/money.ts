import { p } from '@mikro-orm/core';

/**
 * Money is decimal, kept as a string with two decimals (numeric(18,2) in PostgreSQL): never a float,
 * never truncated to an integer (openimis.md §2.4). Arithmetic goes through integer minor units.
 */
export type Money = string;

export const money = () => p.decimal('string').precision(18).scale(2);

const MONEY = /^-?\d{1,16}(\.\d{1,2})?$/;

export function isMoney(value: string): boolean {
  return MONEY.test(value);
}

/**
 * Amounts already read: a claim's valuation reads the same prices and limits a few hundred times,
 * and parsing one costs a regular expression and two BigInts. Bounded: emptied when full.
 */
const minorOf = new Map<Money, bigint>();
const MAX_KEPT = 10_000;

/** '12.5' → 1250n */
export function toMinor(value: Money): bigint {
  const kept = minorOf.get(value);
  if (kept !== undefined) {
    return kept;
  }
  if (!isMoney(value)) {
    throw new RangeError(`${value} is not an amount of money`);
  }
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
  const unsigned = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  const minor = negative ? -unsigned : unsigned;
  if (minorOf.size >= MAX_KEPT) {
    minorOf.clear();
  }
  minorOf.set(value, minor);
  return minor;
}

/** 1250n → '12.50' */
export function fromMinor(minor: bigint): Money {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

export function addMoney(...values: Money[]): Money {
  return fromMinor(values.reduce((sum, v) => sum + toMinor(v), 0n));
}

export function subtractMoney(a: Money, b: Money): Money {
  return fromMinor(toMinor(a) - toMinor(b));
}

export function multiplyMoney(a: Money, factor: number | bigint): Money {
  return fromMinor(toMinor(a) * BigInt(factor));
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  const d = toMinor(a) - toMinor(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function maxMoney(a: Money, b: Money): Money {
  return compareMoney(a, b) >= 0 ? a : b;
}

export function minMoney(a: Money, b: Money): Money {
  return compareMoney(a, b) <= 0 ? a : b;
}

/**
 * `amount` × `percent` / 100, rounded half away from zero to the cent (a discount of 12.5 % on
 * 99.99 is 12.50, not 12.49875).
 */
export function percentOf(amount: Money, percent: string): Money {
  const [whole = '0', fraction = ''] = percent.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const p = BigInt(whole) * scale + BigInt(fraction || '0');
  const numerator = toMinor(amount) * p;
  const denominator = 100n * scale;
  const rounded = (2n * numerator + (numerator >= 0n ? denominator : -denominator)) / (2n * denominator);
  return fromMinor(rounded);
}

export const ZERO: Money = '0.00';

/** The stored form: two decimals. */
export function normaliseMoney(value: Money): Money {
  return fromMinor(toMinor(value));
}

export function negateMoney(value: Money): Money {
  return fromMinor(-toMinor(value));
}

/** `numerator` ÷ `denominator` rounded half away from zero (exact: bigint). */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const rounded = (2n * n + d) / (2n * d);
  return negative ? -rounded : rounded;
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** A non-negative decimal text as an integer and its power of ten: '0.75' → [75n, 100n]. */
function decimalParts(value: string): [bigint, bigint] {
  if (!DECIMAL.test(value)) {
    throw new RangeError(`${value} is not a non-negative decimal`);
  }
  const [whole = '0', fraction = ''] = value.split('.');
  const scale = 10n ** BigInt(fraction.length);
  return [BigInt(whole) * scale + BigInt(fraction || '0'), scale];
}

/**
 * `numerator` ÷ `denominator` as a decimal with `scale` places, rounded half away from zero:
 * ('300.00', '360.00') → '0.833333'. The denominator may not be zero.
 */
export function ratioOf(numerator: Money, denominator: Money, scale = 6): string {
  const d = toMinor(denominator);
  if (d === 0n) {
    throw new RangeError('a ratio to zero');
  }
  const q = divideRounded(toMinor(numerator) * 10n ** BigInt(scale), d);
  const negative = q < 0n;
  const digits = (negative ? -q : q).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * `amount` × `factor` (a non-negative decimal such as a relative-price index, '0.833333'), rounded
 * half away from zero to the cent: 200.00 × 0.833333 = 166.6666 → 166.67.
 */
export function multiplyByRatio(amount: Money, factor: string): Money {
  const [f, scale] = decimalParts(factor);
  return fromMinor(divideRounded(toMinor(amount) * f, scale));
}
