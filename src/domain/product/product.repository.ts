import type { EntityManager } from '@mikro-orm/core';
import { ProductCoverage } from './product-coverage.entity.ts';
import type { Product } from './product.entity.ts';

/** The coverage lines of products, items first, each group in the order of the covered record's id. */
export async function coverageLinesOf(em: EntityManager, products: Product[]): Promise<ProductCoverage[]> {
  if (products.length === 0) {
    return [];
  }
  const lines = await em.find(ProductCoverage, { product: { $in: products.map((p) => p.id) } });
  return lines.sort((a, b) => a.targetKey().localeCompare(b.targetKey()));
}
