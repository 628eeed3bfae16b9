import { KingaError } from '../shared/errors.ts';
import { compareMoney, isMoney } from '../shared/money.ts';

/** Pure checks shared by Product and ProductCoverage; each failure names the domain field. */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A day and month (DD-MM) that occurs every year. 29-02 is refused: an enrolment cycle must start
 * in every year, and openIMIS would shift it to 01-03 in three years out of four.
 */
export function isDayMonth(value: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  if (!match) {
    return false;
  }
  const day = Number(match[1]);
  const month = Number(match[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
}

/** An amount of money, at least zero. */
export function assertAmount(value: string, field: string): void {
  if (!isMoney(value)) {
    throw new KingaError('product.amount-invalid', { field, value }, { field });
  }
  if (compareMoney(value, '0') < 0) {
    throw new KingaError('product.amount-negative', { field, value }, { field });
  }
}

/** A percentage from 0 to 100, with at most two decimals. */
export function assertPercentage(value: string, field: string): void {
  if (!isMoney(value) || compareMoney(value, '0') < 0 || compareMoney(value, '100') > 0) {
    throw new KingaError('product.percentage-invalid', { field, value }, { field });
  }
}

/** A whole number of at least `min` (months, members, provisions). */
export function assertWholeNumber(value: number, field: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new KingaError('product.whole-number-invalid', { field, value, min }, { field });
  }
}
