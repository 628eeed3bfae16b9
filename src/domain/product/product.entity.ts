import { defineEntity, p } from '@mikro-orm/core';
import { isIsoDate, type IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { money } from '../shared/money.ts';
import { liveUnique, recordProperties } from '../shared/record.ts';
import { Location } from '../location/location.entity.ts';
import { AmountLimitsSchema } from './amount-limits.entity.ts';
import { CategoryLimitsSchema } from './category-limits.entity.ts';
import { assertAmount, assertPercentage, assertWholeNumber, isDayMonth } from './product-rules.ts';

/** H: "in-patient" means treated at a hospital-level facility; I: a claim spanning at least one night. */
export const CeilingInterpretations = ['H', 'I'] as const;
export type CeilingInterpretation = (typeof CeilingInterpretations)[number];
/** Relative-pricing periods: monthly, quarterly, yearly. */
export const RelativePricingPeriods = ['M', 'Q', 'Y'] as const;
export type RelativePricingPeriod = (typeof RelativePricingPeriods)[number];

/** The deductible and ceiling rows of the grid (each general / in-patient / out-patient). */
export const AmountGrids = [
  'deductiblePerTreatment',
  'deductiblePerInsuree',
  'deductiblePerPolicy',
  'ceilingPerTreatment',
  'ceilingPerInsuree',
  'ceilingPerPolicy',
  'ceilingPerExtraMember',
  'ceilingPolicyMaximum',
] as const;
export type AmountGrid = (typeof AmountGrids)[number];
export const AmountScopes = ['general', 'inPatient', 'outPatient'] as const;
export type AmountScope = (typeof AmountScopes)[number];

/** The service categories with a claim count limit; all but visits also have an amount limit. */
export const LimitedCategories = [
  'consultation',
  'surgery',
  'delivery',
  'hospitalization',
  'visit',
  'antenatal',
] as const;
export type LimitedCategory = (typeof LimitedCategories)[number];

/** The most enrolment cycles a product may have (openIMIS start_cycle_1..4). */
export const MAX_START_CYCLES = 4;
/** Relative prices are distributed at most per month of the year. */
export const MAX_RELATIVE_SHARES = 12;

/** Where a product stands on a date: not yet sold, on sale, or no longer sold. */
export type SaleStatus = 'upcoming' | 'on-sale' | 'closed';

/**
 * A benefit package: who may join and when, what it costs, and what it pays (openimis.md §1.3).
 * Every lever openIMIS has is a column here; the coverage of items and services is in
 * ProductCoverage.
 */
export const ProductSchema = defineEntity({
  name: 'Product',
  tableName: 'product',
  properties: {
    ...recordProperties,
    code: p.string().length(50),
    name: p.string().length(200),
    /** National when empty, else the region or district it is sold in. */
    location: () => p.manyToOne(Location).nullable(),
    /** The underwriting window: policies may start within it. */
    dateFrom: p.date(),
    dateTo: p.date(),
    /** Replaces this product at renewal once dateTo has passed. */
    conversionProduct: () => p.manyToOne(Product).nullable().deferMode('deferred'),

    insurancePeriodMonths: p.integer().default(12),
    /** Months between enrolment and the start of cover, for new policies. */
    administrationPeriodMonths: p.integer().default(0),
    /** Fixed enrolment cycles as DD-MM (at most 4); none means free enrolment. */
    startCycles: p.json<string[]>().default('[]'),
    gracePeriodEnrolmentMonths: p.integer().default(0),
    gracePeriodRenewalMonths: p.integer().default(0),
    /** How long a policy may stay unpaid before it is suspended (openIMIS "WaitingPeriod"). */
    gracePeriodPaymentMonths: p.integer().default(0),

    lumpSum: money().nullable(),
    /** Members the lump sum covers. */
    threshold: p.integer().nullable(),
    maxMembers: p.integer().nullable(),
    premiumAdult: money().default('0.00'),
    premiumChild: money().default('0.00'),
    registrationLumpSum: money().nullable(),
    registrationFee: money().nullable(),
    generalAssemblyLumpSum: money().nullable(),
    generalAssemblyFee: money().nullable(),
    enrolmentDiscountPercent: money().nullable(),
    enrolmentDiscountPeriodMonths: p.integer().nullable(),
    renewalDiscountPercent: money().nullable(),
    renewalDiscountPeriodMonths: p.integer().nullable(),
    maxInstallments: p.integer().nullable(),

    deductiblePerTreatment: () => p.embedded(AmountLimitsSchema).prefix('ded_treatment_'),
    deductiblePerInsuree: () => p.embedded(AmountLimitsSchema).prefix('ded_insuree_'),
    deductiblePerPolicy: () => p.embedded(AmountLimitsSchema).prefix('ded_policy_'),
    ceilingPerTreatment: () => p.embedded(AmountLimitsSchema).prefix('max_treatment_'),
    ceilingPerInsuree: () => p.embedded(AmountLimitsSchema).prefix('max_insuree_'),
    ceilingPerPolicy: () => p.embedded(AmountLimitsSchema).prefix('max_policy_'),
    /** Added to the policy ceiling for each member above the threshold… */
    ceilingPerExtraMember: () => p.embedded(AmountLimitsSchema).prefix('max_policy_extra_member_'),
    /** …up to this. */
    ceilingPolicyMaximum: () => p.embedded(AmountLimitsSchema).prefix('max_ceiling_policy_'),
    ceilingInterpretation: p.enum(CeilingInterpretations).default('I'),
    categoryLimits: () => p.embedded(CategoryLimitsSchema).prefix('max_'),

    relativePricingPeriod: p.enum(RelativePricingPeriods).nullable(),
    relativePricingPeriodInPatient: p.enum(RelativePricingPeriods).nullable(),
    relativePricingPeriodOutPatient: p.enum(RelativePricingPeriods).nullable(),
    /** Share of the contributions of each period (month, quarter) given to relative prices, in percent. */
    relativePricingDistribution: p.json<string[]>().nullable(),
  },
  indexes: [{ name: 'product_code_live_unique', expression: liveUnique('product', 'code') }],
});

export class Product extends ProductSchema.class {
  hasFreeEnrolment(): boolean {
    return this.startCycles.length === 0;
  }

  /** Sold on `date` (YYYY-MM-DD). */
  isOnSaleOn(date: string): boolean {
    return this.deletedAt == null && this.dateFrom <= date && date <= this.dateTo;
  }

  saleStatusOn(date: IsoDate): SaleStatus {
    if (this.deletedAt != null || date > this.dateTo) {
      return 'closed';
    }
    return date < this.dateFrom ? 'upcoming' : 'on-sale';
  }

  /**
   * The rules on the product's own levers (openimis.md §1.3): a real underwriting window, at most
   * four distinct DD-MM cycles, months and counts that are whole and not negative, a lump sum
   * threshold within the member cap, amounts that are money and not negative, percentages 0–100.
   */
  assertConsistent(): void {
    this.assertWindow();
    this.assertCycles();
    assertWholeNumber(this.insurancePeriodMonths, 'insurancePeriodMonths', 1);
    assertWholeNumber(this.administrationPeriodMonths, 'administrationPeriodMonths', 0);
    assertWholeNumber(this.gracePeriodEnrolmentMonths, 'gracePeriodEnrolmentMonths', 0);
    assertWholeNumber(this.gracePeriodRenewalMonths, 'gracePeriodRenewalMonths', 0);
    assertWholeNumber(this.gracePeriodPaymentMonths, 'gracePeriodPaymentMonths', 0);
    this.assertMembers();
    for (const field of [
      'lumpSum',
      'premiumAdult',
      'premiumChild',
      'registrationLumpSum',
      'registrationFee',
      'generalAssemblyLumpSum',
      'generalAssemblyFee',
    ] as const) {
      const value = this[field];
      if (value != null) {
        assertAmount(value, field);
      }
    }
    for (const [percent, period] of [
      ['enrolmentDiscountPercent', 'enrolmentDiscountPeriodMonths'],
      ['renewalDiscountPercent', 'renewalDiscountPeriodMonths'],
    ] as const) {
      const value = this[percent];
      if (value != null) {
        assertPercentage(value, percent);
      }
      const months = this[period];
      if (months != null) {
        assertWholeNumber(months, period, 0);
      }
    }
    if (this.maxInstallments != null) {
      assertWholeNumber(this.maxInstallments, 'maxInstallments', 1);
    }
    for (const grid of AmountGrids) {
      for (const scope of AmountScopes) {
        const value = this[grid][scope];
        if (value != null) {
          assertAmount(value, `${grid}.${scope}`);
        }
      }
    }
    this.assertCategoryLimits();
    this.assertRelativePricing();
  }

  private assertWindow(): void {
    for (const field of ['dateFrom', 'dateTo'] as const) {
      if (!isIsoDate(this[field])) {
        throw new KingaError('product.date-invalid', { date: this[field] }, { field });
      }
    }
    if (this.dateTo < this.dateFrom) {
      throw new KingaError('product.dates', { from: this.dateFrom, to: this.dateTo }, { field: 'dateTo' });
    }
  }

  private assertCycles(): void {
    if (this.startCycles.length > MAX_START_CYCLES) {
      throw new KingaError(
        'product.start-cycles-too-many',
        { count: this.startCycles.length, max: MAX_START_CYCLES },
        { field: 'startCycles' },
      );
    }
    for (const [index, cycle] of this.startCycles.entries()) {
      if (!isDayMonth(cycle)) {
        throw new KingaError('product.start-cycle-invalid', { cycle }, { field: 'startCycles' });
      }
      if (this.startCycles.indexOf(cycle) !== index) {
        throw new KingaError('product.start-cycle-duplicate', { cycle }, { field: 'startCycles' });
      }
    }
  }

  private assertMembers(): void {
    if (this.threshold != null) {
      assertWholeNumber(this.threshold, 'threshold', 1);
    }
    if (this.maxMembers != null) {
      assertWholeNumber(this.maxMembers, 'maxMembers', 1);
    }
    if (this.threshold != null && this.maxMembers != null && this.threshold > this.maxMembers) {
      throw new KingaError(
        'product.threshold-above-max-members',
        { threshold: this.threshold, maxMembers: this.maxMembers },
        { field: 'threshold' },
      );
    }
  }

  private assertCategoryLimits(): void {
    const limits = this.categoryLimits;
    for (const category of LimitedCategories) {
      const count = limits[`${category}Count`];
      if (count != null) {
        assertWholeNumber(count, `categoryLimits.${category}Count`, 0);
      }
      const amount = category === 'visit' ? null : limits[`${category}Amount`];
      if (amount != null) {
        assertAmount(amount, `categoryLimits.${category}Amount`);
      }
    }
  }

  private assertRelativePricing(): void {
    const shares = this.relativePricingDistribution ?? [];
    if (shares.length > MAX_RELATIVE_SHARES) {
      throw new KingaError(
        'product.relative-distribution-too-long',
        { count: shares.length, max: MAX_RELATIVE_SHARES },
        { field: 'relativePricingDistribution' },
      );
    }
    shares.forEach((share, index) => assertPercentage(share, `relativePricingDistribution[${index}]`));
  }
}
ProductSchema.setClass(Product);
