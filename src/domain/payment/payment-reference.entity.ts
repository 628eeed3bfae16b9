import { defineEntity, p } from '@mikro-orm/core';
import { money } from '../shared/money.ts';
import { recordProperties } from '../shared/record.ts';
import { Policy } from '../policy/policy.entity.ts';

/** What an expected premium pays for: a new policy, a renewal, or members added to a policy. */
export const ReferencePurposes = ['new', 'renewal', 'extra-member'] as const;
export type ReferencePurpose = (typeof ReferencePurposes)[number];

/** open: waiting for money; paid: the expected amount arrived; cancelled: no longer expected. */
export const ReferenceStatuses = ['open', 'paid', 'cancelled'] as const;
export type ReferenceStatus = (typeof ReferenceStatuses)[number];

/**
 * An expected premium's payment reference (openIMIS "control number", integrations.md Part C §1):
 * bound to one policy (and so its family and product) and the amount expected when issued. The
 * payer types it as M-Pesa BillRefNumber / AccountReference, MTN externalId, Airtel
 * transaction.id, a Mojaloop note; a payment naming it is allocated to that policy.
 */
export const PaymentReferenceSchema = defineEntity({
  name: 'PaymentReference',
  tableName: 'payment_reference',
  properties: {
    ...recordProperties,
    reference: p.string().length(20),
    policy: () => p.manyToOne(Policy).index(),
    purpose: p.enum(ReferencePurposes),
    expectedAmount: money(),
    /** What has been paid with it so far. */
    paidAmount: money().default('0.00'),
    status: p.enum(ReferenceStatuses).default('open'),
  },
  indexes: [
    {
      name: 'payment_reference_reference_unique',
      expression:
        'create unique index "payment_reference_reference_unique" on "payment_reference" ("reference")',
    },
  ],
});
export class PaymentReference extends PaymentReferenceSchema.class {}
PaymentReferenceSchema.setClass(PaymentReference);
