import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { isMoney, normaliseMoney } from '../shared/money.ts';
import { LocationTypeNames } from '../location/location.entity.ts';
import { findLiveLocation } from '../location/location.repository.ts';
import { applyCoverageLines } from './apply-coverage-lines.ts';
import { conversionTarget } from './conversion-chain.ts';
import type { ProductCoverage } from './product-coverage.entity.ts';
import type { ProductInput } from './product-input.ts';
import { AmountGrids, AmountScopes, LimitedCategories, type Product } from './product.entity.ts';

/**
 * Copies the caller's levers onto a product and checks them, then makes its coverage lines
 * exactly `input.coverage`. `lines` are the product's current lines (none for a new product).
 */
export async function applyProductInput(
  em: EntityManager,
  product: Product,
  input: ProductInput,
  lines: ProductCoverage[],
): Promise<void> {
  product.code = text(input.code, 'code', 50);
  product.name = text(input.name, 'name', 200);
  product.dateFrom = input.dateFrom;
  product.dateTo = input.dateTo;
  product.insurancePeriodMonths = input.insurancePeriodMonths ?? 12;
  product.administrationPeriodMonths = input.administrationPeriodMonths ?? 0;
  product.startCycles = input.startCycles ?? [];
  product.gracePeriodEnrolmentMonths = input.gracePeriodEnrolmentMonths ?? 0;
  product.gracePeriodRenewalMonths = input.gracePeriodRenewalMonths ?? 0;
  product.gracePeriodPaymentMonths = input.gracePeriodPaymentMonths ?? 0;
  product.lumpSum = amount(input.lumpSum);
  product.threshold = input.threshold ?? null;
  product.maxMembers = input.maxMembers ?? null;
  product.premiumAdult = amount(input.premiumAdult) ?? '0.00';
  product.premiumChild = amount(input.premiumChild) ?? '0.00';
  product.registrationLumpSum = amount(input.registrationLumpSum);
  product.registrationFee = amount(input.registrationFee);
  product.generalAssemblyLumpSum = amount(input.generalAssemblyLumpSum);
  product.generalAssemblyFee = amount(input.generalAssemblyFee);
  product.enrolmentDiscountPercent = amount(input.enrolmentDiscountPercent);
  product.enrolmentDiscountPeriodMonths = input.enrolmentDiscountPeriodMonths ?? null;
  product.renewalDiscountPercent = amount(input.renewalDiscountPercent);
  product.renewalDiscountPeriodMonths = input.renewalDiscountPeriodMonths ?? null;
  product.maxInstallments = input.maxInstallments ?? null;
  for (const grid of AmountGrids) {
    for (const scope of AmountScopes) {
      product[grid][scope] = amount(input[grid]?.[scope]);
    }
  }
  product.ceilingInterpretation = input.ceilingInterpretation ?? 'I';
  const limits = input.categoryLimits ?? {};
  for (const category of LimitedCategories) {
    product.categoryLimits[`${category}Count`] = limits[`${category}Count`] ?? null;
    if (category !== 'visit') {
      product.categoryLimits[`${category}Amount`] = amount(limits[`${category}Amount`]);
    }
  }
  product.relativePricingPeriod = input.relativePricingPeriod ?? null;
  product.relativePricingPeriodInPatient = input.relativePricingPeriodInPatient ?? null;
  product.relativePricingPeriodOutPatient = input.relativePricingPeriodOutPatient ?? null;
  const shares = input.relativePricingDistribution ?? [];
  product.relativePricingDistribution = shares.length > 0 ? shares.map((s) => amount(s)!) : null;
  product.assertConsistent();

  product.location = input.locationId ? await sellingArea(em, input.locationId) : null;
  product.conversionProduct = await conversionTarget(em, product, input.conversionProductId ?? null);
  await applyCoverageLines(em, product, input.coverage ?? [], lines);
}

function text(value: string | undefined, field: string, max: number): string {
  const trimmed = value?.trim();
  if (!trimmed) {
    throw new KingaError('product.text-required', { field }, { field });
  }
  if (trimmed.length > max) {
    throw new KingaError('product.text-too-long', { field, max }, { field });
  }
  return trimmed;
}

/** Stored with two decimals, so an identical revision changes nothing; a malformed value is left for the entity to refuse. */
function amount(value: string | null | undefined): string | null {
  if (value == null) {
    return null;
  }
  return isMoney(value) ? normaliseMoney(value) : value;
}

/** A product is sold nationally (no location), in a region or in a district (openimis.md §1.3). */
async function sellingArea(em: EntityManager, id: string): Promise<Product['location']> {
  const location = await findLiveLocation(em, id, 'location');
  if (location.type !== 'R' && location.type !== 'D') {
    throw new KingaError(
      'product.location-level',
      { actual: LocationTypeNames[location.type] },
      { field: 'location' },
    );
  }
  return location;
}
