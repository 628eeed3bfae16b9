import { KingaError } from '../../../domain/shared/errors.ts';
import { sameSecret } from '../callback-guards.ts';
import type { Callback } from '../provider-adapter.ts';
import { signWebhook } from '../../webhooks/standard-webhooks.ts';

/** The reference libraries' tolerance, both ways (integrations.md §7, Standard Webhooks). */
export const TOLERANCE_SECONDS = 5 * 60;

function refuse(detail: string): KingaError {
  return new KingaError('payment.callback-unauthenticated', { detail });
}

function header(callback: Callback, name: string): string | undefined {
  const value = callback.request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The signature a sender holding `secret` computes (the outbound signer's), the key being the bytes
 * after `whsec_`. A gateway's secret is taken as given: its length is the gateway's choice.
 */
export function webhookSignature(secret: string, id: string, timestamp: string, body: string): string {
  return signWebhook(Buffer.from(secret.replace(/^whsec_/, ''), 'base64'), id, timestamp, body);
}

/**
 * Standard Webhooks v1 (symmetric): `webhook-id`, `webhook-timestamp` (unix seconds of the
 * attempt) and `webhook-signature`, a space-separated list (several during a key rotation) of
 * which one `v1` must match, compared in constant time. A timestamp more than 5 minutes off is
 * refused: a captured delivery replayed later fails here, even with its valid signature.
 */
export function assertStandardWebhook(
  callback: Callback,
  secret: string | undefined,
  now = Date.now(),
): void {
  if (!secret) {
    throw refuse('no webhook secret is configured');
  }
  const id = header(callback, 'webhook-id');
  const timestamp = header(callback, 'webhook-timestamp');
  const signatures = header(callback, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw refuse('webhook-id, webhook-timestamp and webhook-signature are required');
  }
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
    throw refuse('the webhook-timestamp is not within 5 minutes of now');
  }
  const expected = webhookSignature(secret, id, timestamp, callback.rawBody);
  const matches = signatures
    .split(' ')
    .filter((signature) => signature.startsWith('v1,'))
    .map((signature) => sameSecret(signature, expected));
  if (!matches.includes(true)) {
    throw refuse('no webhook-signature verifies');
  }
}
