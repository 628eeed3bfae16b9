import { compareMoney, ratioOf, ZERO, type Money } from '../../shared/money.ts';

/** Six decimals: a line of 10 000 000.00 is still priced to the cent. */
export const INDEX_SCALE = 6;
export const FULL_INDEX = '1.000000';

/**
 * The relative-price index of a pool: contributions ÷ nominal value, to six decimals (half up),
 * 1 when no line asks for anything.
 *
 * Capped at 1: the nominal price is the most a provider is paid for a relative-price line, and a
 * period whose contributions exceed what was asked keeps the surplus in the fund (for the next
 * periods, reserves, other care). openIMIS does not cap (openimis.md §2.3), so a quiet month
 * multiplies provider payments with money the scheme needs for the busy ones.
 */
export function relativeIndex(contributions: Money, nominal: Money): string {
  if (compareMoney(nominal, ZERO) <= 0 || compareMoney(contributions, nominal) >= 0) {
    return FULL_INDEX;
  }
  return ratioOf(contributions, nominal, INDEX_SCALE);
}
