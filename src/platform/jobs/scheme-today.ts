import type { IsoDate } from '../../domain/shared/dates.ts';

/**
 * The calendar day it is in the scheme's time zone: a job at 00:05 in Dar es Salaam (UTC+3) runs
 * at 21:05 UTC the day before, and must act on the local day.
 */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  return formatterFor(timeZone).format(now);
}

/** Building a formatter costs far more than formatting (eligibility asks for today on every request). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
