import { defineEntity, p } from '@mikro-orm/core';
import type { OutboundEventType } from '../../domain/payment/outbound-event.entity.ts';
import { newId } from '../../domain/shared/ids.ts';

/** active: receives its event types; disabled: receives nothing (by staff, or after a 410 Gone). */
export const SubscriberStatuses = ['active', 'disabled'] as const;
export type SubscriberStatus = (typeof SubscriberStatuses)[number];

/**
 * A system that receives Kinga's outbound events as Standard Webhooks (an SMS gateway telling the
 * payer their policy is active or what is still owed). The secret signs every delivery; it is
 * shown once, when the subscriber is created, and kept because signing needs it.
 */
export const WebhookSubscriberSchema = defineEntity({
  name: 'WebhookSubscriber',
  tableName: 'webhook_subscriber',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    url: p.string().length(2000),
    description: p.string().length(200).nullable(),
    /** `whsec_` + base64 of 24 to 64 random bytes (Standard Webhooks, symmetric signatures). */
    secret: p.string().length(100),
    eventTypes: p.json<OutboundEventType[]>(),
    status: p.enum(SubscriberStatuses).default('active'),
    disabledReason: p.text().nullable(),
    disabledAt: p.datetime().nullable(),
    /** The API client that created it. */
    createdBy: p.string().length(100),
    createdAt: p.datetime().onCreate(() => new Date()),
    /**
     * Events up to here have been fanned out to it. Each run looks back an hour before this mark, so
     * an event whose transaction committed late is still found; the (event, subscriber) key keeps it
     * from being delivered twice.
     */
    fannedOutUntil: p.datetime(),
  },
});
export class WebhookSubscriber extends WebhookSubscriberSchema.class {}
WebhookSubscriberSchema.setClass(WebhookSubscriber);
