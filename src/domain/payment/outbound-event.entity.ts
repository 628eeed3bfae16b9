import { defineEntity, p } from '@mikro-orm/core';
import { newId } from '../shared/ids.ts';

/** The events subscribers may receive (Standard Webhooks `type`). */
export const OutboundEventTypes = ['payment.received', 'policy.activated', 'policy.balance-due'] as const;
export type OutboundEventType = (typeof OutboundEventTypes)[number];

/**
 * An event for outbound webhooks, written in the same transaction as what it tells (the outbox
 * pattern): a payment allocated and its event are committed together or not at all. Its id is the
 * Standard Webhooks `webhook-id`, the same on every delivery attempt, so receivers deduplicate.
 */
export const OutboundEventSchema = defineEntity({
  name: 'OutboundEvent',
  tableName: 'outbound_event',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    type: p.enum(OutboundEventTypes),
    occurredAt: p.datetime().onCreate(() => new Date()),
    /** Thin payload: ids and the figures a receiver shows (an SMS of the balance). */
    data: p.json<Record<string, unknown>>(),
  },
  indexes: [{ properties: ['occurredAt'] }],
});
export class OutboundEvent extends OutboundEventSchema.class {}
OutboundEventSchema.setClass(OutboundEvent);
