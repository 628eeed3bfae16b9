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
  const organisation =
    typeof facility === 'string'
      ? await em.findOne(Organisation, { id: facility, deletedAt: null })
      : facility;
  const listRef = 'item' in target ? organisation?.itemsPriceList : organisation?.servicesPriceList;
  if (!listRef) {
    return undefined;
  }
  const line = await em.findOne(
    PriceListLine,
    'item' in target
      ? { priceList: listRef.id, item: target.item }
      : { priceList: listRef.id, service: target.service },
    { populate: ['priceList', 'item', 'service'] },
  );
  if (!line || !line.priceList.appliesOn(date)) {
    return undefined;
  }
  if (line.priceOverrule != null) {
    return { price: line.priceOverrule, origin: 'overrule' };
  }
  return { price: (line.item ?? line.service)!.price, origin: 'register' };
}
