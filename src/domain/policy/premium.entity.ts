import { defineEntity, p } from '@mikro-orm/core';
import { money } from '../shared/money.ts';
import { recordProperties } from '../shared/record.ts';
import { Product } from '../product/product.entity.ts';
import { Policy } from './policy.entity.ts';

/** B bank transfer, C cash, M mobile money, F funding (openIMIS pay_type). */
export const PayTypes = ['B', 'C', 'M', 'F'] as const;
export type PayType = (typeof PayTypes)[number];

/**
 * An entry in a policy's premium ledger, its amount signed. A payment adds; a reversal subtracts
 * the payment it reverses (a compensating entry: nothing is edited or deleted); a credit transfer
 * moves an overpayment from one policy to another (credit-out negative on the old one, credit-in
 * positive on the new one). The balance is the value minus the sum.
 */
export const PremiumKinds = ['payment', 'reversal', 'credit-out', 'credit-in'] as const;
export type PremiumKind = (typeof PremiumKinds)[number];

export const PremiumSchema = defineEntity({
  name: 'Premium',
  tableName: 'premium',
  properties: {
    ...recordProperties,
    policy: () => p.manyToOne(Policy).index(),
    /** Denormalised for the receipt's uniqueness, which openIMIS scopes to the product. */
    product: () => p.manyToOne(Product),
    kind: p.enum(PremiumKinds).default('payment'),
    amount: money(),
    receipt: p.string().length(100),
    payDate: p.date(),
    payType: p.enum(PayTypes),
    payer: p.string().length(200).nullable(),
    /** The payment a reversal compensates, or the other side of a credit transfer. */
    counterpart: () => p.manyToOne(Premium).nullable().deferMode('deferred').index(),
  },
  indexes: [
    {
      name: 'premium_receipt_live_unique',
      expression:
        'create unique index "premium_receipt_live_unique" on "premium" ("product_id", "receipt") where "deleted_at" is null and "kind" = \'payment\'',
    },
  ],
});
export class Premium extends PremiumSchema.class {
  isPayment(): boolean {
    return this.kind === 'payment';
  }
}
PremiumSchema.setClass(Premium);
