import type { EntityManager } from '@mikro-orm/core';
import { Organisation } from '../organisation/organisation.entity.ts';
import type { IsoDate } from '../shared/dates.ts';
import type { Money } from '../shared/money.ts';
import type { MedicalItem } from './medical-item.entity.ts';
import type { MedicalService } from './medical-service.entity.ts';
import { PriceListLine } from './price-list.entity.ts';

/** The price a facility applies and where it comes from: its list's overrule, else the register. */
export interface FacilityPrice {
  price: Money;
  origin: 'overrule' | 'register';
}

export type PricedTarget = { item: MedicalItem | string } | { service: MedicalService | string };

/**
 * The price `facility` applies to an item or a service on `date`: the overrule of the line in the
 * facility's price list of that kind, else the item's or service's register price. Undefined when
 * the facility has no such list, the list does not apply on that date (retired, or starting
 * later), or it does not list the item or service (openIMIS rejection reason 2, NOT IN PRICE LIST).
 *
 * Whether the item or service itself may be provided on `date` is its own rule
 * (`isValidOn`, rejection reason 1), checked before this one. Prices have no history: the register
 * price and the overrule are today's.
 */
export async function facilityPrice(
  em: EntityManager,
  facility: Organisation | string,
  target: PricedTarget,
  date: IsoDate,
): Promise<FacilityPrice | undefined> {
  const ref = 'item' in target ? target.item : target.service;
  const id = typeof ref === 'string' ? ref : ref.id;
  const targets = 'item' in target ? { items: [id] } : { services: [id] };
  const prices = await facilityPrices(em, facility, targets, date);
  return prices.get(id);
}

/**
 * `facilityPrice` for several items and services at once, by their id: at most one query per
 * kind, whatever the count (an eligibility enquiry or a claim asks about several lines).
 */
export async function facilityPrices(
  em: EntityManager,
  facility: Organisation | string,
  targets: { items?: string[]; services?: string[] },
  date: IsoDate,
): Promise<Map<string, FacilityPrice>> {
  const prices = new Map<string, FacilityPrice>();
  const organisation =
    typeof facility === 'string'
      ? await em.findOne(Organisation, { id: facility, deletedAt: null })
      : facility;
  const lists = [
    {
      list: organisation?.itemsPriceList,
      where: (ids: string[]) => ({ item: { $in: ids } }),
      ids: targets.items,
    },
    {
      list: organisation?.servicesPriceList,
      where: (ids: string[]) => ({ service: { $in: ids } }),
      ids: targets.services,
    },
  ];
  for (const { list, where, ids } of lists) {
    if (!list || !ids?.length) {
      continue;
    }
    const lines = await em.find(
      PriceListLine,
      { priceList: list.id, ...where(ids) },
      { populate: ['priceList', 'item', 'service'] },
    );
    for (const line of lines) {
      if (!line.priceList.appliesOn(date)) {
        continue;
      }
      const target = (line.item ?? line.service)!;
      prices.set(target.id, priceOfLine(line, target.price));
    }
  }
  return prices;
}

/** A listed line's price: its overrule, else the item's or service's register price. */
export function priceOfLine(line: { priceOverrule?: Money | null }, registerPrice: Money): FacilityPrice {
  return line.priceOverrule != null
    ? { price: line.priceOverrule, origin: 'overrule' }
    : { price: registerPrice, origin: 'register' };
}
