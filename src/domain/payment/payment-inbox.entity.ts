import { defineEntity, p } from '@mikro-orm/core';
import { newId } from '../shared/ids.ts';
import { money } from '../shared/money.ts';
import { PaymentProviders, type PaymentEvent } from './payment-event.ts';

/**
 * received: stored, waiting for allocation; allocated: a premium recorded (or reversed);
 * failed: the provider reported no payment; unmatched: no reference or policy found — an exception
 * for staff; refunded / assigned: an exception resolved; rejected: refused at validation.
 */
export const InboxStatuses = [
  'received',
  'allocated',
  'failed',
  'unmatched',
  'assigned',
  'refunded',
] as const;
export type InboxStatus = (typeof InboxStatuses)[number];

/**
 * The payment inbox (integrations.md Part C §3): every provider callback's raw body, stored
 * append-only before it is acknowledged, once per (provider, provider transaction id) — a callback
 * delivered twice or a hundred times at once is one row, allocated once. Allocation is a job that
 * takes `received` rows; a row is allocated in the same transaction as its premium, so a crash
 * leaves it `received` and it is taken again, never credited twice.
 */
export const PaymentInboxSchema = defineEntity({
  name: 'PaymentInbox',
  tableName: 'payment_inbox',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    provider: p.enum(PaymentProviders),
    providerTxnId: p.string().length(100),
    receivedAt: p.datetime().onCreate(() => new Date()),
    /** The body exactly as received (signatures are over these bytes). */
    rawBody: p.text(),
    /** The headers a later check may need (signature, source), not the authorisation. */
    headers: p.json<Record<string, string>>(),
    event: p.json<PaymentEvent>(),
    status: p.enum(InboxStatuses).default('received'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    processedAt: p.datetime().nullable(),
    /** The policy and premium the payment went to. */
    policyId: p.uuid().nullable(),
    premiumId: p.uuid().nullable(),
    /** An exception's resolution: who, and what was done (assigned to a reference, refunded). */
    resolution: p.text().nullable(),
    amount: money().nullable(),
  },
  indexes: [
    {
      name: 'payment_inbox_provider_txn_unique',
      expression:
        'create unique index "payment_inbox_provider_txn_unique" on "payment_inbox" ("provider", "provider_txn_id")',
    },
    {
      name: 'payment_inbox_waiting_index',
      expression:
        'create index "payment_inbox_waiting_index" on "payment_inbox" ("received_at") where "status" in (\'received\', \'unmatched\')',
    },
  ],
});
export class PaymentInbox extends PaymentInboxSchema.class {}
PaymentInboxSchema.setClass(PaymentInbox);
