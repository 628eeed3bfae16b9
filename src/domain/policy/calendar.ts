import type { IsoDate } from '../shared/dates.ts';

/**
 * Month and day arithmetic on calendar dates (YYYY-MM-DD), with no clock or time zone involved.
 * Adding months keeps the day of the month, clamped to the target month's last day (31 January
 * + 1 month = 28 or 29 February), as PostgreSQL's `date + interval` and Python's relativedelta do.
 */

function parts(date: IsoDate): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) {
    throw new RangeError(`${date} is not a calendar date (YYYY-MM-DD)`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function format(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date `months` later (or earlier, when negative), the day clamped to the month's length. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return format(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** `day-month` of `year` (a DD-MM enrolment cycle); 29-02 falls on 28-02 in a common year. */
export function dayOfYear(dayMonth: string, year: number): IsoDate {
  const match = /^(\d{2})-(\d{2})$/.exec(dayMonth);
  const day = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12 || day < 1 || day > 31) {
    throw new RangeError(`${dayMonth} is not a DD-MM cycle start`);
  }
  return format(year, month, Math.min(day, daysInMonth(year, month)));
}

export function yearOf(date: IsoDate): number {
  return parts(date)[0];
}

/** The later of two dates (ISO dates order as strings). */
export function laterOf(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}
