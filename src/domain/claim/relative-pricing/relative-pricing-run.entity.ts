import { defineEntity, p } from '@mikro-orm/core';
import { money } from '../../shared/money.ts';
import { recordProperties } from '../../shared/record.ts';
import { Product, RelativePricingPeriods } from '../../product/product.entity.ts';

/** run: its prices are paid; reversed: undone (its claims back to processed), the period may run again. */
export const RelativePricingRunStatuses = ['run', 'reversed'] as const;
export type RelativePricingRunStatus = (typeof RelativePricingRunStatuses)[number];

/** An index with six decimals (numeric(12,6)), as text: never a float. */
const relativeIndex = () => p.decimal('string').precision(12).scale(6).nullable();

/**
 * One relative-pricing batch of a product for a period (openIMIS tblRelIndex and the batch run,
 * openimis.md §2.3): what contributions the period had, what the relative-price lines asked at
 * nominal prices, and the index that turned one into the other. A product's period runs once: a
 * second run answers this one, and running again needs an explicit reversal first.
 *
 * One index (`indexGeneral`) unless the product prices in-patient and out-patient care per period
 * of their own: then one per care setting priced in this period.
 */
export const RelativePricingRunSchema = defineEntity({
  name: 'RelativePricingRun',
  tableName: 'relative_pricing_run',
  properties: {
    ...recordProperties,
    product: () => p.manyToOne(Product),
    /** 2026-11, 2026Q4 or 2026. */
    periodCode: p.string().length(7),
    periodKind: p.enum(RelativePricingPeriods),
    periodStart: p.date(),
    periodEnd: p.date(),
    status: p.enum(RelativePricingRunStatuses).default('run'),
    /** The share of the period's contributions given to relative prices (the product's distribution). */
    distributionPercent: p.decimal('string').precision(5).scale(2),
    /** Contributions allocated to the period, after the distribution share. */
    contributions: money(),
    /** Σ nominal value (benefit) of the relative-price lines priced, over every pool. */
    nominal: money(),
    indexGeneral: relativeIndex(),
    indexInPatient: relativeIndex(),
    indexOutPatient: relativeIndex(),
    /** Claims whose relative-price lines the run priced, and those lines. */
    claims: p.integer(),
    lines: p.integer(),
    runBy: p.string().length(100).nullable(),
    reversedAt: p.datetime().nullable(),
    reversedBy: p.string().length(100).nullable(),
  },
  indexes: [
    {
      name: 'relative_pricing_run_live_unique',
      expression:
        'create unique index "relative_pricing_run_live_unique" on "relative_pricing_run" ("product_id", "period_code") where "status" = \'run\'',
    },
    { properties: ['product', 'periodStart'] },
  ],
});

export class RelativePricingRun extends RelativePricingRunSchema.class {
  isReversed(): boolean {
    return this.status === 'reversed';
  }
}
RelativePricingRunSchema.setClass(RelativePricingRun);
