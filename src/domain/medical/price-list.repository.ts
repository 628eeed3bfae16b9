import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { PriceList, type PriceListKind } from './price-list.entity.ts';

/** A live price list of `kind` by id, or a 422 naming the field that referenced it. */
export async function findLivePriceList(
  em: EntityManager,
  id: string,
  kind: PriceListKind,
  field: string,
): Promise<PriceList> {
  const list = await em.findOne(PriceList, { id, deletedAt: null });
  if (!list) {
    throw new KingaError('price-list.not-found', { id }, { field });
  }
  if (list.kind !== kind) {
    throw new KingaError('price-list.wrong-kind', { slot: kind, kind, actual: list.kind }, { field });
  }
  return list;
}
