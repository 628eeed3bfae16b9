import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { PaymentEvent } from '../../../domain/payment/payment-event.ts';
import { KingaError } from '../../../domain/shared/errors.ts';
import { compareMoney, ZERO } from '../../../domain/shared/money.ts';
import type { Config } from '../../../platform/config/config.ts';
import {
  IDEMPOTENCY_KEY_HEADER,
  parseIdempotencyKey,
  requestFingerprint,
} from '../../../platform/idempotency/idempotency-key.ts';
import { REPLAYED_HEADER } from '../../../platform/idempotency/idempotency.hooks.ts';
import { IdempotencyStore } from '../../../platform/idempotency/idempotency-store.ts';
import { assertPublishable, storeInInbox } from '../inbox-store.ts';
import type { Callback, ProviderEndpoint, ProviderReply } from '../provider-adapter.ts';
import { assertStandardWebhook } from './standard-webhooks.ts';

/**
 * The body any other gateway posts (documented in the endpoint's summary): its own transaction
 * id (the key a repeated notification is known by), our payment reference, the amount as decimal
 * text (a JSON number is read as the text it was written as), the currency, the outcome, the date.
 */
interface GenericPayment {
  id?: unknown;
  reference?: unknown;
  amount?: unknown;
  currency?: unknown;
  status?: unknown;
  occurredAt?: unknown;
  payer?: unknown;
}

const PATH = '/payments/webhook';
/**
 * The idempotency_key scope of this endpoint: the platform's keys are scoped by client, and a
 * gateway is no OAuth client, so its keys get a client id of their own.
 */
const SCOPE = 'payments:webhook';
const STATUSES = ['completed', 'failed', 'reversed'] as const;
const AMOUNT = /^\d{1,16}(\.\d{1,2})?$/;

function malformed(detail: string): KingaError {
  return new KingaError('payment.callback-malformed', { detail });
}

function isoDate(value: unknown): string | undefined {
  const date = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(value)?.[1] : undefined;
  const valid = date && !Number.isNaN(Date.parse(`${date}T00:00:00Z`));
  return valid && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date) ? date : undefined;
}

/** The body as one canonical event; a reversal is an event of its own, naming the payment it takes back. */
export function genericEvent(body: unknown, config: Config): PaymentEvent {
  const payment = (body && typeof body === 'object' ? body : {}) as GenericPayment;
  const id = typeof payment.id === 'number' ? String(payment.id) : payment.id;
  if (typeof id !== 'string' || !/^\S{1,90}$/.test(id)) {
    throw malformed('id is required: the gateway transaction id, at most 90 characters');
  }
  if (typeof payment.reference !== 'string' || !payment.reference.trim() || payment.reference.length > 50) {
    throw malformed('reference is required');
  }
  const amount = typeof payment.amount === 'number' ? String(payment.amount) : payment.amount;
  if (typeof amount !== 'string' || !AMOUNT.test(amount) || compareMoney(amount, ZERO) <= 0) {
    throw malformed('amount is a positive decimal with at most 2 decimals');
  }
  if (payment.currency !== config.CURRENCY) {
    throw malformed(`the currency ${String(payment.currency)} is not the scheme's (${config.CURRENCY})`);
  }
  const status = STATUSES.find((s) => s === payment.status);
  if (!status) {
    throw malformed('status is completed, failed or reversed');
  }
  const occurredAt = isoDate(payment.occurredAt);
  if (!occurredAt) {
    throw malformed('occurredAt is a date (YYYY-MM-DD or an ISO 8601 date-time)');
  }
  return {
    provider: 'generic',
    // The inbox keeps one row per id: a reversal of a payment already stored needs a key of its own.
    providerTxnId: status === 'reversed' ? `${id}:reversed` : id,
    ...(status === 'reversed' ? { providerCorrelationId: id } : {}),
    reference: payment.reference.trim(),
    amount,
    currency: payment.currency,
    status,
    occurredAt,
    ...(typeof payment.payer === 'string' && payment.payer ? { payer: payment.payer.slice(0, 50) } : {}),
  };
}

const stores = new WeakMap<Pool, IdempotencyStore>();

function storeFor(pool: Pool, ttlHours: number): IdempotencyStore {
  let store = stores.get(pool);
  if (!store) {
    store = new IdempotencyStore(pool, ttlHours);
    stores.set(pool, store);
  }
  return store;
}

function idempotencyKey(callback: Callback): string {
  const value = callback.request.headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) {
    throw new KingaError('payment.idempotency-key-required');
  }
  return parseIdempotencyKey(Array.isArray(value) ? value.join(', ') : value);
}

function keptHeaders(callback: Callback): Record<string, string> {
  const kept: Record<string, string> = { 'source-ip': callback.request.ip };
  for (const name of ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = callback.request.headers[name];
    if (typeof value === 'string') {
      kept[name] = value;
    }
  }
  return kept;
}

/**
 * The notification, with Stripe's Idempotency-Key semantics (integrations.md Part C §8) kept in the
 * platform's idempotency_key table: a valid notification claims its key (committed) before it is
 * stored; the answer is kept and replayed for the same key and body; another body under the key is
 * a 422, a retry while the first is still being stored a 409. An invalid body claims nothing.
 */
async function notify(callback: Callback, config: Config): Promise<ProviderReply> {
  const key = idempotencyKey(callback);
  const event = genericEvent(callback.body, config);
  // Before the key is claimed, as every check of the body: an invalid body claims nothing.
  assertPublishable(event);
  const { database, payments } = callback.request.server.kinga;
  const store = storeFor(database.pool, config.IDEMPOTENCY_KEY_TTL_HOURS);
  const digest = createHash('sha256').update(callback.rawBody).digest('hex');
  const claim = await store.claim(
    { clientId: SCOPE, method: 'POST', path: PATH, key },
    requestFingerprint('POST', PATH, digest),
  );
  switch (claim.kind) {
    case 'mismatch':
      throw new KingaError('idempotency.key-reused');
    case 'in-flight':
      throw new KingaError('idempotency.in-flight');
    case 'replay': {
      const { status, headers, body } = claim.response;
      return { status, headers: { ...headers, [REPLAYED_HEADER]: 'true' }, body: body ?? undefined };
    }
    case 'claimed':
      break;
  }
  try {
    if ((await storeInInbox(database.pool, callback.rawBody, keptHeaders(callback), [event])) > 0) {
      payments.wake();
    }
    const headers = { 'content-type': 'application/json; charset=utf-8' };
    const body = JSON.stringify({ received: true, id: event.providerCorrelationId ?? event.providerTxnId });
    await store.complete(claim.id, { status: 200, headers, body: Buffer.from(body) });
    return { status: 200, headers, body };
  } catch (error) {
    // Forgotten, so the gateway may retry with the key; the inbox absorbs a second delivery.
    await store.release(claim.id).catch(() => undefined);
    throw error;
  }
}

/** POST /payments/webhook: any other gateway, signed as Standard Webhooks, with an Idempotency-Key. */
export function genericWebhookEndpoint(config: Config): ProviderEndpoint {
  return {
    provider: 'generic',
    method: 'POST',
    url: '/webhook',
    summary:
      'Generic payment notification (Standard Webhooks signature, Idempotency-Key required): ' +
      '{id, reference, amount, currency, status: completed|failed|reversed, occurredAt, payer?}',
    authenticate: (callback) => assertStandardWebhook(callback, config.PAYMENT_WEBHOOK_SECRET),
    events: () => [],
    reply: () => ({ status: 200 }),
    answer: (callback) => notify(callback, config),
  };
}
