import { defineEntity, p } from '@mikro-orm/core';
import { OutboundEvent } from '../../domain/payment/outbound-event.entity.ts';
import { newId } from '../../domain/shared/ids.ts';
import { WebhookSubscriber } from './webhook-subscriber.entity.ts';

/** pending: to be sent at `nextAttemptAt`; delivered: a 2xx came back; failed: given up, or stopped. */
export const DeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DeliveryStatuses)[number];

/**
 * One event for one subscriber, once: its attempts, the last answer, and when to try again. A row
 * whose attempt is in flight has `nextAttemptAt` pushed ahead (a lease), so a crashed sender's
 * delivery is taken again once the lease runs out.
 */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_delivery',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    event: () => p.manyToOne(OutboundEvent),
    subscriber: () => p.manyToOne(WebhookSubscriber),
    status: p.enum(DeliveryStatuses).default('pending'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().nullable(),
    /** The HTTP status of the last attempt; null when it got no answer (timeout, refused). */
    lastStatus: p.integer().nullable(),
    lastError: p.text().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [
    {
      name: 'webhook_delivery_event_subscriber_unique',
      expression:
        'create unique index "webhook_delivery_event_subscriber_unique" on "webhook_delivery" ("event_id", "subscriber_id")',
    },
    {
      name: 'webhook_delivery_subscriber_index',
      expression: 'create index "webhook_delivery_subscriber_index" on "webhook_delivery" ("subscriber_id")',
    },
    {
      name: 'webhook_delivery_due_index',
      expression:
        'create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = \'pending\'',
    },
  ],
});
export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);
