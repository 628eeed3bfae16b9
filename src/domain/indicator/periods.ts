import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { addDays, addMonths } from '../policy/calendar.ts';

/** The DHIS2 period types Kinga computes (integrations.md §1.3). */
export const PeriodTypes = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
export type PeriodType = (typeof PeriodTypes)[number];

/** A DHIS2 period: its code (202611), type, first and last day, and its ADX form (2026-11-01/P1M). */
export interface Period {
  code: string;
  type: PeriodType;
  start: IsoDate;
  /** The last day, inclusive. */
  end: IsoDate;
  adx: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const iso = (y: number, m: number, d: number): IsoDate => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** The Monday of ISO-8601 week 1 of `year`: the week holding 4 January. */
function isoWeekOneMonday(year: number): IsoDate {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const weekday = (jan4.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(iso(year, 1, 4), -weekday);
}

/** How many ISO weeks `year` has (52 or 53). */
function isoWeeksIn(year: number): number {
  const next = isoWeekOneMonday(year + 1);
  const first = isoWeekOneMonday(year);
  return Math.round((Date.parse(next) - Date.parse(first)) / (7 * 86_400_000));
}

function period(code: string, type: PeriodType, start: IsoDate, end: IsoDate, duration: string): Period {
  return { code, type, start, end, adx: `${start}/${duration}` };
}

/**
 * A DHIS2 period code as its days: daily yyyyMMdd, weekly yyyyWn (ISO weeks, Monday start),
 * monthly yyyyMM, quarterly yyyyQn, yearly yyyy. Anything else is a 400 naming `name`.
 */
export function parsePeriod(code: string, name = 'period'): Period {
  const invalid = () => new KingaError('indicator.period-invalid', { period: code, name });
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(code))) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const day = iso(y, m, d);
    if (Number.isNaN(Date.parse(day)) || new Date(`${day}T00:00:00Z`).getUTCDate() !== d) {
      throw invalid();
    }
    return period(code, 'daily', day, day, 'P1D');
  }
  if ((match = /^(\d{4})W(\d{1,2})$/.exec(code))) {
    const [y, w] = [Number(match[1]), Number(match[2])];
    if (w < 1 || w > isoWeeksIn(y)) {
      throw invalid();
    }
    const start = addDays(isoWeekOneMonday(y), 7 * (w - 1));
    return period(code, 'weekly', start, addDays(start, 6), 'P7D');
  }
  if ((match = /^(\d{4})(\d{2})$/.exec(code))) {
    const [y, m] = [Number(match[1]), Number(match[2])];
    if (m < 1 || m > 12) {
      throw invalid();
    }
    const start = iso(y, m, 1);
    return period(code, 'monthly', start, addDays(addMonths(start, 1), -1), 'P1M');
  }
  if ((match = /^(\d{4})Q([1-4])$/.exec(code))) {
    const [y, q] = [Number(match[1]), Number(match[2])];
    const start = iso(y, 3 * (q - 1) + 1, 1);
    return period(code, 'quarterly', start, addDays(addMonths(start, 3), -1), 'P3M');
  }
  if ((match = /^(\d{4})$/.exec(code))) {
    const y = Number(match[1]);
    return period(code, 'yearly', iso(y, 1, 1), iso(y, 12, 31), 'P1Y');
  }
  throw invalid();
}

/** The DHIS2 period of `type` holding `day`. */
export function periodOf(type: PeriodType, day: IsoDate): Period {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  switch (type) {
    case 'daily':
      return parsePeriod(day.replaceAll('-', ''));
    case 'monthly':
      return parsePeriod(`${pad(y, 4)}${pad(m)}`);
    case 'quarterly':
      return parsePeriod(`${pad(y, 4)}Q${Math.floor((m - 1) / 3) + 1}`);
    case 'yearly':
      return parsePeriod(pad(y, 4));
    case 'weekly': {
      // The ISO year of a day is the year of its week's Thursday.
      const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
      const thursday = addDays(day, 3 - weekday);
      const year = Number(thursday.slice(0, 4));
      const week =
        Math.floor((Date.parse(thursday) - Date.parse(isoWeekOneMonday(year))) / (7 * 86_400_000)) + 1;
      return parsePeriod(`${year}W${week}`);
    }
  }
}
