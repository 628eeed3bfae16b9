import type { EntityManager } from '@mikro-orm/core';
import { assertVersion } from '../shared/record.ts';
import { applyProductInput } from './apply-product-input.ts';
import type { ProductInput } from './product-input.ts';
import type { Product } from './product.entity.ts';
import { coverageLinesOf } from './product.repository.ts';

/**
 * Replaces a product's levers and coverage lines. Policies already sold keep the product by
 * reference; what changes applies from now on.
 */
export async function reviseProduct(
  em: EntityManager,
  product: Product,
  input: ProductInput,
  expectedVersion?: number,
): Promise<Product> {
  assertVersion(product, expectedVersion, 'InsurancePlan');
  await applyProductInput(em, product, input, await coverageLinesOf(em, [product]));
  return product;
}
