import type { EntityManager } from '@mikro-orm/core';
import { Organisation } from '../organisation/organisation.entity.ts';
import { KingaError } from '../shared/errors.ts';
import type { PriceList } from './price-list.entity.ts';

/** Retires a price list no live facility uses; its lines stay with it as history. */
export async function retirePriceList(em: EntityManager, list: PriceList): Promise<void> {
  const users = await em.count(Organisation, {
    deletedAt: null,
    $or: [{ itemsPriceList: list }, { servicesPriceList: list }],
  });
  if (users > 0) {
    throw new KingaError('price-list.in-use', { name: list.name, count: users });
  }
  list.deletedAt = new Date();
}
