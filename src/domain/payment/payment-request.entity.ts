import { defineEntity, p } from '@mikro-orm/core';
import { newId } from '../shared/ids.ts';
import { money } from '../shared/money.ts';
import { PaymentProviders } from './payment-event.ts';

/** pending: asked, no outcome yet; answered: a callback or a status poll brought the outcome. */
export const PaymentRequestStatuses = ['pending', 'answered'] as const;
export type PaymentRequestStatus = (typeof PaymentRequestStatuses)[number];

/**
 * A payment Kinga asked a provider to collect (M-Pesa STK push, MTN RequestToPay, Airtel USSD
 * push): the id the provider will call back with (CheckoutRequestID, our X-Reference-Id, our
 * transaction.id) bound to the payment reference it pays. Their callbacks do not repeat the
 * reference, so allocation finds it here; a request left pending is polled (MTN never retries).
 */
export const PaymentRequestSchema = defineEntity({
  name: 'PaymentRequest',
  tableName: 'payment_request',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    provider: p.enum(PaymentProviders),
    providerRequestId: p.string().length(100),
    reference: p.string().length(20),
    amount: money(),
    currency: p.string().length(3),
    payer: p.string().length(50),
    status: p.enum(PaymentRequestStatuses).default('pending'),
    createdAt: p.datetime().onCreate(() => new Date()),
    answeredAt: p.datetime().nullable(),
  },
  indexes: [
    {
      name: 'payment_request_provider_request_unique',
      expression:
        'create unique index "payment_request_provider_request_unique" on "payment_request" ("provider", "provider_request_id")',
    },
    {
      name: 'payment_request_pending_index',
      expression:
        'create index "payment_request_pending_index" on "payment_request" ("created_at") where "status" = \'pending\'',
    },
  ],
});
export class PaymentRequest extends PaymentRequestSchema.class {}
PaymentRequestSchema.setClass(PaymentRequest);
