import { defineEntity, p } from '@mikro-orm/core';
import { money } from '../shared/money.ts';

/**
 * Per insuree and insurance period: how many claims of each service category, and how much money
 * (openIMIS max_no_* and max_amount_*; visits have a count only).
 */
export const CategoryLimitsSchema = defineEntity({
  name: 'CategoryLimits',
  embeddable: true,
  properties: {
    consultationCount: p.integer().nullable(),
    surgeryCount: p.integer().nullable(),
    deliveryCount: p.integer().nullable(),
    hospitalizationCount: p.integer().nullable(),
    visitCount: p.integer().nullable(),
    antenatalCount: p.integer().nullable(),
    consultationAmount: money().nullable(),
    surgeryAmount: money().nullable(),
    deliveryAmount: money().nullable(),
    hospitalizationAmount: money().nullable(),
    antenatalAmount: money().nullable(),
  },
});
export class CategoryLimits extends CategoryLimitsSchema.class {}
CategoryLimitsSchema.setClass(CategoryLimits);
