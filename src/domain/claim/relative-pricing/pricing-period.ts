import type { IsoDate } from '../../shared/dates.ts';
import { KingaError } from '../../shared/errors.ts';
import { addDays, addMonths } from '../../policy/calendar.ts';
import type { Product, RelativePricingPeriod } from '../../product/product.entity.ts';

/** A month, quarter or year of relative pricing. */
export interface PricingPeriod {
  /** 2026-11, 2026Q4 or 2026. */
  code: string;
  kind: RelativePricingPeriod;
  start: IsoDate;
  /** The last day, included. */
  end: IsoDate;
  /** Its place in the year, from 0: the month, the quarter, or 0 for the year (the distribution's index). */
  position: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The period of `kind` numbered `position` (from 0) in `year`. */
export function periodOf(kind: RelativePricingPeriod, year: number, position = 0): PricingPeriod {
  const months = kind === 'M' ? 1 : kind === 'Q' ? 3 : 12;
  const start = `${year}-${pad(position * months + 1)}-01`;
  const code =
    kind === 'M' ? `${year}-${pad(position + 1)}` : kind === 'Q' ? `${year}Q${position + 1}` : `${year}`;
  return { code, kind, start, end: addDays(addMonths(start, months), -1), position };
}

/** YYYY-MM, YYYY-Qn or YYYYQn, YYYY; undefined for anything else. */
export function parsePeriod(text: string): PricingPeriod | undefined {
  const match = /^(\d{4})(?:-(0[1-9]|1[0-2])|-?Q([1-4]))?$/.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const year = Number(match[1]);
  if (match[2]) {
    return periodOf('M', year, Number(match[2]) - 1);
  }
  return match[3] ? periodOf('Q', year, Number(match[3]) - 1) : periodOf('Y', year);
}

export function requirePeriod(text: string): PricingPeriod {
  const period = parsePeriod(text);
  if (!period) {
    throw new KingaError('relative-pricing.period-invalid', { period: text }, { field: 'period' });
  }
  return period;
}

/** The calendar month before `today`'s. */
export function monthBefore(today: IsoDate): PricingPeriod {
  const [year, month] = addMonths(`${today.slice(0, 7)}-01`, -1)
    .split('-')
    .map(Number) as [number, number];
  return periodOf('M', year, month - 1);
}

/**
 * The pools of relative-price lines a period of `kind` prices: all of them (`general`) when the
 * product has one relative-pricing period; else in-patient (I) and out-patient (O) care, each with
 * its own period, in the periods of their kind (openIMIS period_rel_prices / _ip / _op).
 */
export type PricingPool = 'general' | 'I' | 'O';

type PricingTerms = Pick<
  Product,
  'relativePricingPeriod' | 'relativePricingPeriodInPatient' | 'relativePricingPeriodOutPatient'
>;

export function poolsFor(product: PricingTerms, kind: RelativePricingPeriod): PricingPool[] {
  if (product.relativePricingPeriod != null) {
    return product.relativePricingPeriod === kind ? ['general'] : [];
  }
  return [
    ...(product.relativePricingPeriodInPatient === kind ? (['I'] as const) : []),
    ...(product.relativePricingPeriodOutPatient === kind ? (['O'] as const) : []),
  ];
}

/** The periods of the product that end with `month` (a monthly period): the batch runs those. */
export function periodsEndingWith(product: PricingTerms, month: PricingPeriod): PricingPeriod[] {
  const year = Number(month.code.slice(0, 4));
  const monthNumber = month.position + 1;
  const ending: PricingPeriod[] = [month];
  if (monthNumber % 3 === 0) {
    ending.push(periodOf('Q', year, monthNumber / 3 - 1));
  }
  if (monthNumber === 12) {
    ending.push(periodOf('Y', year));
  }
  return ending.filter((period) => poolsFor(product, period.kind).length > 0);
}

/**
 * The share of the period's contributions given to relative prices: the product's distribution
 * entry for the period's place in the year, 100 % when it has no distribution. A distribution
 * without an entry for the period is a product set up for another period length: refused rather
 * than guessed.
 */
export function distributionPercent(
  product: Pick<Product, 'code' | 'relativePricingDistribution'>,
  period: PricingPeriod,
): string {
  const shares = product.relativePricingDistribution ?? [];
  if (shares.length === 0) {
    return '100.00';
  }
  const share = shares[period.position];
  if (share === undefined) {
    throw new KingaError('relative-pricing.distribution-missing', {
      product: product.code,
      period: period.code,
      count: shares.length,
    });
  }
  return share;
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysIncluded(from: IsoDate, to: IsoDate): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.max(0, Math.round(ms / 86_400_000) + 1);
}
