import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import type { Family } from '../insuree/family.entity.ts';
import type { Location } from '../location/location.entity.ts';
import { Product } from '../product/product.entity.ts';

export async function findLiveProduct(em: EntityManager, id: string, field = 'product'): Promise<Product> {
  const product = await em.findOne(Product, { id, deletedAt: null });
  if (!product) {
    throw new KingaError('policy.product-not-found', { id }, { field });
  }
  return product;
}

/**
 * Whether `product` is sold where `family` lives: a national product everywhere, a regional or
 * district one in the villages below it. A family without a village only gets national products.
 */
export async function isSoldToFamily(em: EntityManager, product: Product, family: Family): Promise<boolean> {
  if (!product.location) {
    return true;
  }
  let place: Location | null | undefined = family.village ?? null;
  for (let level = 0; place && level < 4; level += 1) {
    if (place.id === product.location.id) {
      return true;
    }
    await em.populate(place, ['parent']);
    place = place.parent ?? null;
  }
  return false;
}

/** Refuses a product that is not on sale on `date` or not sold where the family lives. */
export async function assertProductAvailable(
  em: EntityManager,
  product: Product,
  family: Family,
  date: IsoDate,
): Promise<void> {
  if (!product.isOnSaleOn(date)) {
    throw new KingaError(
      'policy.product-not-on-sale',
      { code: product.code, date, from: product.dateFrom, to: product.dateTo },
      { field: 'product' },
    );
  }
  if (!(await isSoldToFamily(em, product, family))) {
    throw new KingaError('policy.product-not-sold-here', { code: product.code }, { field: 'product' });
  }
}
