import type { IsoDate } from '../../domain/shared/dates.ts';

/**
 * The calendar day it is in the scheme's time zone: a job at 00:05 in Dar es Salaam (UTC+3) runs
 * at 21:05 UTC the day before, and must act on the local day.
 */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
