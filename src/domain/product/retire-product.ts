import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Product } from './product.entity.ts';

/**
 * Retires a product: it is no longer sold and its code is free again; its lines stay with it in
 * history. A product another live product converts into stays, or renewals would lead nowhere.
 */
export async function retireProduct(em: EntityManager, product: Product): Promise<void> {
  const dependant = await em.findOne(Product, { conversionProduct: product, deletedAt: null });
  if (dependant) {
    throw new KingaError('product.conversion-target-in-use', { code: product.code, other: dependant.code });
  }
  product.deletedAt = new Date();
}
