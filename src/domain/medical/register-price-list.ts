import type { EntityManager } from '@mikro-orm/core';
import { findLiveLocation } from '../location/location.repository.ts';
import { requiredText } from './medical-rules.ts';
import type { PriceListInput } from './price-list-input.ts';
import { replacePriceListLines } from './price-list-lines.ts';
import { PriceList } from './price-list.entity.ts';

/** Creates a price list of items or of services, with its lines. */
export async function registerPriceList(em: EntityManager, input: PriceListInput): Promise<PriceList> {
  const list = em.create(PriceList, {
    ...(input.id ? { id: input.id } : {}),
    name: input.name,
    kind: input.kind,
  });
  await applyPriceListInput(em, list, input);
  await replacePriceListLines(em, list, input.lines, []);
  return list;
}

/** The list's own facts: name, region or district, start date. */
export async function applyPriceListInput(
  em: EntityManager,
  list: PriceList,
  input: PriceListInput,
): Promise<void> {
  list.name = requiredText(input.name, 'name', 200);
  list.placeIn(input.locationId ? await findLiveLocation(em, input.locationId, 'location') : null);
  list.validFrom = input.validFrom ?? null;
}
