import { defineEntity, p } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { money } from '../shared/money.ts';
import { newId } from '../shared/ids.ts';
import { MedicalItem } from '../medical/medical-item.entity.ts';
import { MedicalService } from '../medical/medical-service.entity.ts';
import { Product } from './product.entity.ts';
import { assertAmount, assertPercentage, assertWholeNumber } from './product-rules.ts';

/** P price list, O the provider's own (asked) price, R relative price set by the batch. */
export const PriceOrigins = ['P', 'O', 'R'] as const;
export type PriceOrigin = (typeof PriceOrigins)[number];
/** C co-insurance (the scheme pays a percentage), F fixed amount (the scheme pays up to an amount). */
export const LimitationTypes = ['C', 'F'] as const;
export type LimitationType = (typeof LimitationTypes)[number];
/** H in-patient, N out-patient, B both: the line is not counted against those ceilings. */
export const CeilingExclusions = ['H', 'N', 'B'] as const;
export type CeilingExclusion = (typeof CeilingExclusions)[number];

/** Visit types of a claim, each with its own limitation: other, referral, emergency. */
export const VisitTypes = ['other', 'referral', 'emergency'] as const;
export type VisitType = (typeof VisitTypes)[number];

/** The limitation type and the adult and child limits of one visit type, by field name. */
export const visitFields: Record<
  VisitType,
  {
    type: 'limitationType' | 'limitationTypeReferral' | 'limitationTypeEmergency';
    adult: 'limitAdult' | 'limitAdultReferral' | 'limitAdultEmergency';
    child: 'limitChild' | 'limitChildReferral' | 'limitChildEmergency';
  }
> = {
  other: { type: 'limitationType', adult: 'limitAdult', child: 'limitChild' },
  referral: { type: 'limitationTypeReferral', adult: 'limitAdultReferral', child: 'limitChildReferral' },
  emergency: { type: 'limitationTypeEmergency', adult: 'limitAdultEmergency', child: 'limitChildEmergency' },
};

/**
 * How a product covers one item or service (openIMIS tblProductItems/tblProductServices): the price
 * origin, the limitation per visit type (O other, R referral, E emergency) for adults and children,
 * the most provisions per insurance period, the waiting period in months, and ceiling exclusions.
 */
export const ProductCoverageSchema = defineEntity({
  name: 'ProductCoverage',
  tableName: 'product_coverage',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    product: () => p.manyToOne(Product).index(),
    item: () => p.manyToOne(MedicalItem).nullable().index(),
    service: () => p.manyToOne(MedicalService).nullable().index(),
    priceOrigin: p.enum(PriceOrigins).default('P'),
    limitationType: p.enum(LimitationTypes).default('C'),
    limitationTypeReferral: p.enum(LimitationTypes).default('C'),
    limitationTypeEmergency: p.enum(LimitationTypes).default('C'),
    limitAdult: money().default('100.00'),
    limitAdultReferral: money().default('100.00'),
    limitAdultEmergency: money().default('100.00'),
    limitChild: money().default('100.00'),
    limitChildReferral: money().default('100.00'),
    limitChildEmergency: money().default('100.00'),
    maxProvisionsAdult: p.integer().nullable(),
    maxProvisionsChild: p.integer().nullable(),
    waitingPeriodAdultMonths: p.integer().default(0),
    waitingPeriodChildMonths: p.integer().default(0),
    ceilingExclusionAdult: p.enum(CeilingExclusions).nullable(),
    ceilingExclusionChild: p.enum(CeilingExclusions).nullable(),
  },
  indexes: [
    {
      name: 'product_coverage_unique',
      expression:
        'create unique index "product_coverage_unique" on "product_coverage" ("product_id", coalesce("item_id", "service_id"))',
    },
  ],
});
export class ProductCoverage extends ProductCoverageSchema.class {
  /** `item <id>` or `service <id>`: what the line covers, once per product. */
  targetKey(): string {
    return this.item ? `item ${this.item.id}` : `service ${this.service?.id}`;
  }

  /**
   * One item xor one service; co-insurance limits are percentages (0–100) and fixed limits
   * amounts; provisions and waiting periods are whole and not negative. `field` names the line.
   */
  assertConsistent(field: string): void {
    if (Boolean(this.item) === Boolean(this.service)) {
      throw new KingaError('product.coverage-target', { line: field }, { field });
    }
    for (const visit of VisitTypes) {
      const names = visitFields[visit];
      for (const limit of [names.adult, names.child]) {
        if (this[names.type] === 'C') {
          assertPercentage(this[limit], `${field}.${limit}`);
        } else {
          assertAmount(this[limit], `${field}.${limit}`);
        }
      }
    }
    for (const name of ['maxProvisionsAdult', 'maxProvisionsChild'] as const) {
      const value = this[name];
      if (value != null) {
        assertWholeNumber(value, `${field}.${name}`, 0);
      }
    }
    assertWholeNumber(this.waitingPeriodAdultMonths, `${field}.waitingPeriodAdultMonths`, 0);
    assertWholeNumber(this.waitingPeriodChildMonths, `${field}.waitingPeriodChildMonths`, 0);
  }
}
ProductCoverageSchema.setClass(ProductCoverage);
