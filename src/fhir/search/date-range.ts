/** A FHIR date/dateTime search value as the half-open instant range it denotes (search.html#date). */
export interface DateRange {
  low: Date;
  high: Date;
  /** True when the value has no time part (day, month or year precision). */
  calendar: boolean;
}

const PATTERN =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export function parseDateRange(value: string): DateRange | undefined {
  const m = PATTERN.exec(value);
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const year = Number(y);
  if (mo === undefined) {
    return { low: utc(year, 0, 1), high: utc(year + 1, 0, 1), calendar: true };
  }
  const month = Number(mo) - 1;
  if (month < 0 || month > 11) {
    return undefined;
  }
  if (d === undefined) {
    return { low: utc(year, month, 1), high: utc(year, month + 1, 1), calendar: true };
  }
  const day = Number(d);
  const low = utc(year, month, day);
  if (low.getUTCMonth() !== month || low.getUTCDate() !== day) {
    return undefined;
  }
  if (h === undefined) {
    return { low, high: utc(year, month, day + 1), calendar: true };
  }
  const offset =
    tz && tz !== 'Z'
      ? (tz.startsWith('-') ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4)))
      : 0;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const start = Date.UTC(year, month, day, Number(h), Number(mi), Number(s ?? 0), ms) - offset * 60_000;
  if (Number.isNaN(start)) {
    return undefined;
  }
  // The precision given sets the width: to the minute, the second, or the millisecond.
  const width = s === undefined ? 60_000 : frac === undefined ? 1000 : 1;
  return { low: new Date(start), high: new Date(start + width), calendar: false };
}

function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month, day));
}

export const DatePrefixes = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type DatePrefix = (typeof DatePrefixes)[number];

export function splitPrefix(value: string): { prefix: DatePrefix; rest: string } {
  const candidate = value.slice(0, 2);
  if ((DatePrefixes as readonly string[]).includes(candidate) && /^\d/.test(value.slice(2))) {
    return { prefix: candidate as DatePrefix, rest: value.slice(2) };
  }
  return { prefix: 'eq', rest: value };
}
