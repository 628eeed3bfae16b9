import type { EntityManager } from '@mikro-orm/core';
import { applyProductInput } from './apply-product-input.ts';
import type { ProductInput } from './product-input.ts';
import { Product } from './product.entity.ts';

const noLimits = () => ({ general: null, inPatient: null, outPatient: null });

/** Registers a benefit package with its coverage lines; its code is unique among live products. */
export async function registerProduct(em: EntityManager, input: ProductInput): Promise<Product> {
  const product = em.create(Product, {
    ...(input.id ? { id: input.id } : {}),
    code: '',
    name: '',
    dateFrom: input.dateFrom,
    dateTo: input.dateTo,
    deductiblePerTreatment: noLimits(),
    deductiblePerInsuree: noLimits(),
    deductiblePerPolicy: noLimits(),
    ceilingPerTreatment: noLimits(),
    ceilingPerInsuree: noLimits(),
    ceilingPerPolicy: noLimits(),
    ceilingPerExtraMember: noLimits(),
    ceilingPolicyMaximum: noLimits(),
    categoryLimits: {},
  });
  await applyProductInput(em, product, input, []);
  return product;
}
