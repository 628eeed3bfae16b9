/**
 * When a failed delivery is tried again: Standard Webhooks' example schedule (after the first
 * attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h — about three days in all), each
 * delay spread by ±10 % so that a receiver coming back is not hit by every retry at once. After
 * the tenth attempt the delivery has failed.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const RETRY_DELAYS_MS = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** A receiver's Retry-After is honoured up to this; a longer one would stall the schedule for days. */
const LONGEST_RETRY_AFTER_MS = 24 * HOUR;

/**
 * The next attempt after `attempts` failed ones (counting the one just made), or null when the
 * delivery has failed for good. A Retry-After (RFC 9110 §10.2.3: seconds or an HTTP date) puts the
 * next attempt no earlier than it asks.
 */
export function nextAttemptAt(
  attempts: number,
  now: Date,
  retryAfter?: string,
  random: () => number = Math.random,
): Date | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  if (delay === undefined) {
    return null;
  }
  const jittered = delay * (0.9 + 0.2 * random());
  const asked = retryAfterMs(retryAfter, now);
  return new Date(now.getTime() + Math.max(jittered, Math.min(asked ?? 0, LONGEST_RETRY_AFTER_MS)));
}

export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (!value) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * SECOND;
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
