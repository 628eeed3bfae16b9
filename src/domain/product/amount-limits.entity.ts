import { defineEntity } from '@mikro-orm/core';
import { money } from '../shared/money.ts';

/**
 * One row of the product's deductible/ceiling grid: general, in-patient and out-patient amounts.
 * Which of the three applies follows the product's ceiling interpretation (openimis.md §1.3).
 */
export const AmountLimitsSchema = defineEntity({
  name: 'AmountLimits',
  embeddable: true,
  properties: {
    general: money().nullable(),
    inPatient: money().nullable(),
    outPatient: money().nullable(),
  },
});
export class AmountLimits extends AmountLimitsSchema.class {}
AmountLimitsSchema.setClass(AmountLimits);
