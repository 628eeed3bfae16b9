import type { EntityManager } from '@mikro-orm/core';
import type { OutboundEventType } from '../../domain/payment/outbound-event.entity.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import type { Queryable } from '../../platform/database/queryable.ts';
import { sql } from '../../platform/database/sql.ts';
import { generateSecret, secretKey } from './standard-webhooks.ts';
import { checkWebhookUrl } from './webhook-target.ts';
import { WebhookSubscriber } from './webhook-subscriber.entity.ts';

export interface NewSubscriber {
  url: string;
  eventTypes: OutboundEventType[];
  /** A `whsec_` secret the receiver already holds; absent: one is generated. */
  secret?: string;
  description?: string;
}

/** What staff see of a subscriber: everything but the secret. */
export interface SubscriberView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: OutboundEventType[];
  status: WebhookSubscriber['status'];
  disabledReason: string | null;
  disabledAt: string | null;
  createdBy: string;
  createdAt: string;
}

/** Registers a subscriber; its events are those that happen from now on. */
export function createSubscriber(
  em: EntityManager,
  input: NewSubscriber,
  options: { createdBy: string; allowPrivateHosts: boolean },
): WebhookSubscriber {
  const url = checkWebhookUrl(input.url, options.allowPrivateHosts);
  const secret = input.secret ?? generateSecret();
  secretKey(secret);
  const now = new Date();
  return em.create(WebhookSubscriber, {
    url: url.href,
    description: input.description ?? null,
    secret,
    eventTypes: [...new Set(input.eventTypes)],
    createdBy: options.createdBy,
    createdAt: now,
    fannedOutUntil: now,
  });
}

export async function findSubscriber(em: EntityManager, id: string): Promise<WebhookSubscriber> {
  const subscriber = isUuid(id) ? await em.findOne(WebhookSubscriber, { id }) : null;
  if (!subscriber) {
    throw new KingaError('webhook.subscriber-not-found', { id: id.slice(0, 100) });
  }
  return subscriber;
}

/**
 * Disables a subscriber (staff, or its endpoint answered 410 Gone) and stops its pending
 * deliveries, in the caller's transaction. Returns false when it was not active.
 */
export async function disableSubscriber(db: Queryable, id: string, reason: string): Promise<boolean> {
  const disabled = await db.query(sql`
    update webhook_subscriber
       set status = 'disabled', disabled_reason = ${reason}, disabled_at = now()
     where id = ${id} and status = 'active'
    returning id`);
  await db.query(sql`
    update webhook_delivery
       set status = 'failed', next_attempt_at = null, last_error = ${`stopped: ${reason}`}
     where subscriber_id = ${id} and status = 'pending'`);
  return disabled.length > 0;
}

export function viewOf(subscriber: WebhookSubscriber): SubscriberView {
  return {
    id: subscriber.id,
    url: subscriber.url,
    description: subscriber.description ?? null,
    eventTypes: subscriber.eventTypes,
    status: subscriber.status,
    disabledReason: subscriber.disabledReason ?? null,
    disabledAt: subscriber.disabledAt?.toISOString() ?? null,
    createdBy: subscriber.createdBy,
    createdAt: subscriber.createdAt.toISOString(),
  };
}
