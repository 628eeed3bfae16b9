import { FlushMode, type EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Product } from './product.entity.ts';

/**
 * Reading other products must not flush the one being written: a half-applied product would be
 * stored, and the rest of the write would make a second version of it.
 */
const LOOK_ONLY = { flushMode: FlushMode.COMMIT } as const;

/**
 * The live product `product` converts into at renewal, checked: it exists, it is not `product`
 * itself, and following its own conversions never leads back to `product` (renewal would loop).
 */
export async function conversionTarget(
  em: EntityManager,
  product: Product,
  targetId: string | null,
): Promise<Product | null> {
  if (!targetId) {
    return null;
  }
  if (targetId === product.id) {
    throw new KingaError('product.conversion-self', {}, { field: 'conversionProduct' });
  }
  const target = await em.findOne(Product, { id: targetId, deletedAt: null }, LOOK_ONLY);
  if (!target) {
    throw new KingaError('product.conversion-not-found', { id: targetId }, { field: 'conversionProduct' });
  }
  const chain = [target.code];
  const seen = new Set([target.id]);
  let next = target.conversionProduct?.id;
  while (next && !seen.has(next)) {
    if (next === product.id) {
      throw new KingaError(
        'product.conversion-cycle',
        { code: target.code, chain: [product.code, ...chain, product.code].join(' → ') },
        { field: 'conversionProduct' },
      );
    }
    seen.add(next);
    const step = await em.findOne(Product, { id: next, deletedAt: null }, LOOK_ONLY);
    if (!step) {
      break;
    }
    chain.push(step.code);
    next = step.conversionProduct?.id;
  }
  return target;
}
