import { createHmac } from 'node:crypto';
import type { PaymentEvent } from '../../../domain/payment/payment-event.ts';
import { KingaError } from '../../../domain/shared/errors.ts';
import type { Config } from '../../../platform/config/config.ts';
import { assertPathSecret, sameSecret } from '../callback-guards.ts';
import type { Callback, ProviderEndpoint } from '../provider-adapter.ts';

/** The Airtel Money collection callback (integrations.md §5.3). It names no amount. */
interface AirtelCallback {
  transaction?: {
    id?: string;
    message?: string;
    status_code?: string;
    airtel_money_id?: string;
  };
  hash?: string;
}

function callbackOf(callback: Callback): AirtelCallback & { transaction: { id: string } } {
  const body = callback.body as AirtelCallback | null;
  const id = body?.transaction?.id;
  if (!body || typeof body !== 'object' || typeof id !== 'string' || !id || id.length > 100) {
    throw new KingaError('payment.callback-malformed', { detail: 'transaction.id is required' });
  }
  return body as AirtelCallback & { transaction: { id: string } };
}

/**
 * The payloads Airtel's `hash` may be computed over. Airtel documents "the callback payload"
 * without saying which bytes, and SDKs differ between the body and the `transaction` object
 * (integrations.md §5.3, "Gaps"), so each is accepted: the body as received without its own
 * `hash` member (a body cannot contain its own HMAC), the same re-serialised compactly, and the
 * `transaction` object's JSON.
 */
export function hashedPayloads(rawBody: string, body: AirtelCallback): string[] {
  const { hash: _hash, ...unsigned } = body;
  const withoutHash = rawBody
    .replace(/,\s*"hash"\s*:\s*"[^"]*"/, '')
    .replace(/"hash"\s*:\s*"[^"]*"\s*,?/, '');
  return [withoutHash, JSON.stringify(unsigned), JSON.stringify(body.transaction)];
}

/** Base64(HMAC-SHA256(key, payload)), as Airtel computes `hash`. */
export function airtelHash(key: string, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64');
}

function assertHash(callback: Callback, config: Config): void {
  const key = config.AIRTEL_HASH_KEY;
  if (!key) {
    return;
  }
  const body = callbackOf(callback);
  if (typeof body.hash !== 'string' || !body.hash) {
    throw new KingaError('payment.callback-unauthenticated', { detail: 'the hash is missing' });
  }
  // Every candidate is compared (in constant time), so the timing tells nothing of which came close.
  const matches = hashedPayloads(callback.rawBody, body).map((payload) =>
    sameSecret(body.hash, airtelHash(key, payload)),
  );
  if (!matches.includes(true)) {
    throw new KingaError('payment.callback-unauthenticated', { detail: 'the hash does not verify' });
  }
}

/** TS: the payer paid; TF: the payment failed. Anything else is intermediate (TIP, TA…): no event yet. */
const outcomes: Record<string, PaymentEvent['status']> = { TS: 'completed', TF: 'failed' };

/**
 * The collection (USSD push) callback: transaction.id is the id Kinga chose when it asked Airtel
 * to collect (its PaymentRequest's providerRequestId, or the payment reference itself), the key a
 * repeated callback is known by; airtel_money_id is Airtel's own id (refunds). The amount is the
 * one asked for, found at allocation.
 */
export const airtelCollectionCallback: ProviderEndpoint = {
  provider: 'airtel',
  method: 'POST',
  url: '/airtel/:secret/callback',
  summary: 'Airtel Money collection callback: a USSD push paid or failed',
  authenticate(callback, config) {
    assertPathSecret(callback.request, config.AIRTEL_CALLBACK_SECRET);
    assertHash(callback, config);
  },
  events(callback) {
    const { transaction } = callbackOf(callback);
    // Own keys only: a status_code of "toString" must not find Object.prototype's.
    const code = transaction.status_code ?? '';
    const status = Object.hasOwn(outcomes, code) ? outcomes[code] : undefined;
    if (!status) {
      return [];
    }
    const event: PaymentEvent = {
      provider: 'airtel',
      providerTxnId: transaction.id,
      status,
      ...(transaction.airtel_money_id ? { providerCorrelationId: transaction.airtel_money_id } : {}),
      ...(status === 'failed' && transaction.message ? { statusReason: transaction.message } : {}),
    };
    return [event];
  },
  // Airtel documents no acknowledgement body; any 200 is taken as received.
  reply: () => ({ status: 200, body: { status: 'received' } }),
};
