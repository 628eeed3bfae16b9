import { createHmac, randomBytes } from 'node:crypto';
import { KingaError } from '../../domain/shared/errors.ts';

/**
 * Standard Webhooks v1.0.0, symmetric signatures (integrations.md §7): the secret is 24–64 random
 * bytes shown as `whsec_<base64>`; the signature is `v1,<base64 HMAC-SHA256>` over
 * `{webhook-id}.{webhook-timestamp}.{body}`.
 */
const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;
const SECRET_BYTES = { min: 24, max: 64, generated: 32 };

export function generateSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES.generated).toString('base64')}`;
}

/** The key bytes of a `whsec_` secret; throws `webhook.secret-invalid` for anything else. */
export function secretKey(secret: string): Buffer {
  const encoded = SECRET.exec(secret)?.[1];
  const key = encoded === undefined ? undefined : Buffer.from(encoded, 'base64');
  if (!key || key.length < SECRET_BYTES.min || key.length > SECRET_BYTES.max) {
    throw new KingaError('webhook.secret-invalid', {}, { field: 'secret' });
  }
  return key;
}

export interface WebhookMessage {
  /** The event id: the same on every attempt, the receiver's deduplication key. */
  id: string;
  /** The attempt's time. */
  sentAt: Date;
  body: string;
}

/** `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`: what is sent, and what a receiver checks. */
export function signWebhook(key: Buffer, id: string, timestamp: string, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The three Standard Webhooks headers of one attempt. */
export function webhookHeaders(secret: string, message: WebhookMessage): Record<string, string> {
  const timestamp = Math.floor(message.sentAt.getTime() / 1000).toString();
  return {
    'webhook-id': message.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signWebhook(secretKey(secret), message.id, timestamp, message.body),
  };
}

/** The body: `{type, timestamp, data}`, the timestamp being when the event happened (ISO 8601). */
export function webhookBody(event: { type: string; timestamp: string; data: unknown }): string {
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
}
