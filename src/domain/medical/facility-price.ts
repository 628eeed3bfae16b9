import type { IsoDate } from '../shared/dates.ts';
import type { Money } from '../shared/money.ts';
import { priceListAppliesOn } from './price-list.entity.ts';

/** The price a facility applies and where it comes from: its list's overrule, else the register. */
export interface FacilityPrice {
  price: Money;
  origin: 'overrule' | 'register';
}

/** A line of a facility's price list, with its list's dates (PriceList.appliesOn reads them). */
export interface FacilityLine {
  targetId: string;
  priceOverrule: Money | null;
  list: { validFrom: IsoDate | null; deletedAt: string | null };
}

/**
 * The price a facility applies to each item or service on `date`: the overrule of the line in the
 * facility's price list of that kind, else the item's or service's register price. Absent when
 * the facility has no such list, the list does not apply on that date (retired, or starting
 * later), or it does not list the item or service (openIMIS rejection reason 2, NOT IN PRICE
 * LIST). `lines` are the facility's lines for the targets (EligibilityReads.facilityLines, or
 * read with the patient), each with its list's dates.
 *
 * Whether the item or service itself may be provided on `date` is its own rule
 * (`isValidOn`, rejection reason 1), checked before this one. Prices have no history: the register
 * price and the overrule are today's.
 */
export function facilityPricesOf(
  lines: readonly FacilityLine[],
  targets: readonly { id: string; price: Money }[],
  date: IsoDate,
): Map<string, FacilityPrice> {
  const prices = new Map<string, FacilityPrice>();
  for (const target of targets) {
    const line = lines.find((l) => l.targetId === target.id && priceListAppliesOn(l.list, date));
    if (line) {
      prices.set(target.id, priceOfLine(line, target.price));
    }
  }
  return prices;
}

/** A listed line's price: its overrule, else the item's or service's register price. */
function priceOfLine(line: { priceOverrule?: Money | null }, registerPrice: Money): FacilityPrice {
  return line.priceOverrule != null
    ? { price: line.priceOverrule, origin: 'overrule' }
    : { price: registerPrice, origin: 'register' };
}
