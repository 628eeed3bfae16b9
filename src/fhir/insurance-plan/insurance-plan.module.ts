import type { InsurancePlan } from '@medplum/fhirtypes';
import type { ProductInput } from '../../domain/product/product-input.ts';
import { Product } from '../../domain/product/product.entity.ts';
import { coverageLinesOf } from '../../domain/product/product.repository.ts';
import { registerProduct } from '../../domain/product/register-product.ts';
import { retireProduct } from '../../domain/product/retire-product.ts';
import { reviseProduct } from '../../domain/product/revise-product.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import { coverageLinePath } from './coverage-line-paths.ts';
import {
  insurancePlanFieldPaths,
  insurancePlanToProduct,
  productToInsurancePlan,
} from './insurance-plan.mapper.ts';
import { insurancePlanSearchParams } from './insurance-plan.search.ts';
import { INSURANCE_PLAN_PROFILE } from './insurance-plan.terms.ts';

/** InsurancePlan ⇄ product register; the coverage lines are part of the product. */
export function insurancePlanModule(
  mapping: MappingContext,
): ResourceModule<Product, ProductInput, InsurancePlan> {
  return {
    type: 'InsurancePlan',
    profile: INSURANCE_PLAN_PROFILE,
    entity: Product,
    table: { table: 'product', live: 't.deleted_at is null' },
    searchParams: insurancePlanSearchParams(mapping.config),
    fieldPaths: insurancePlanFieldPaths,
    // A coverage line or a share of the relative-price distribution is named by its position.
    elementPathOf: (field, input) =>
      coverageLinePath(field, input) ?? insurancePlanFieldPaths[field.replace(/\[\d+\]$/, '')],
    projector: {
      resourceType: 'InsurancePlan',
      entity: Product,
      async render(em, products) {
        const lines = await coverageLinesOf(em, products);
        return new Map(
          products.map((product) => [
            product,
            productToInsurancePlan(
              { product, lines: lines.filter((line) => line.product.id === product.id) },
              mapping,
            ),
          ]),
        );
      },
    },
    toInput: (plan) => insurancePlanToProduct(plan),
    create: (em, input) => registerProduct(em, input),
    update: async (em, product, input, expectedVersion) => {
      await reviseProduct(em, product, input, expectedVersion);
    },
    remove: (em, product) => retireProduct(em, product),
  };
}
