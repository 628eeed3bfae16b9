import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { KingaError } from '../../domain/shared/errors.ts';
import { BodyDigest } from './body-digest.ts';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-key.ts';
import { IdempotencyStore, type StoredResponse } from './idempotency-store.ts';

export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Headers of one attempt or of the transport: a replay gets its own, never the stored ones. */
const NOT_STORED = new Set([
  'connection',
  'content-length',
  'date',
  'keep-alive',
  'retry-after',
  'set-cookie',
  'transfer-encoding',
  'x-request-id',
]);

export interface IdempotencyOptions {
  pool: Pool;
  ttlHours: number;
}

/**
 * Honours `Idempotency-Key` on every POST of an identified client, with Stripe's semantics: the first
 * request is claimed (committed) before its handler runs and its final response stored; a retry
 * with the same request gets that response again, marked `Idempotent-Replayed: true`; a different
 * request under the key is a 422, one while the first is still running a 409. A 5xx is not
 * stored, so the client may retry. Added to the root instance before the routes are registered,
 * so the hooks run for every route, after the FHIR plugin's onRequest token check.
 */
export function registerIdempotency(app: FastifyInstance, options: IdempotencyOptions): void {
  const store = new IdempotencyStore(options.pool, options.ttlHours);
  const keyed = new WeakMap<FastifyRequest, { key: string; body: BodyDigest }>();
  const claims = new WeakMap<FastifyRequest, string>();

  app.addHook('preParsing', async (request, _reply, payload) => {
    const header = request.headers[IDEMPOTENCY_KEY_HEADER];
    // The key is scoped by the client that sent it; a request without one (the token endpoint)
    // has no scope, so its key is not honoured.
    if (request.method !== 'POST' || header === undefined || !request.principal || request.is404) {
      return payload;
    }
    const key = parseIdempotencyKey(Array.isArray(header) ? header.join(', ') : header);
    const body = new BodyDigest();
    keyed.set(request, { key, body });
    return body.tap(payload);
  });

  app.addHook('preHandler', async (request, reply) => {
    const keyedRequest = keyed.get(request);
    if (!keyedRequest) {
      return;
    }
    keyed.delete(request);
    const scope = {
      clientId: request.principal!.clientId,
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      key: keyedRequest.key,
    };
    const fingerprint = requestFingerprint(request.method, request.url, keyedRequest.body.digest());
    const claim = await store.claim(scope, fingerprint);
    switch (claim.kind) {
      case 'claimed':
        claims.set(request, claim.id);
        return;
      case 'mismatch':
        throw new KingaError('idempotency.key-reused');
      case 'in-flight':
        reply.header('Retry-After', '1');
        throw new KingaError('idempotency.in-flight');
      case 'replay':
        return replay(reply, claim.response);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const id = claims.get(request);
    if (id === undefined) {
      return payload;
    }
    claims.delete(request);
    const body = storableBody(payload);
    try {
      if (reply.statusCode >= 500 || body === undefined) {
        await store.release(id);
      } else {
        await store.complete(id, { status: reply.statusCode, headers: storedHeaders(reply), body });
      }
    } catch (error) {
      // The key stays in flight until it expires: a retry then gets a 409, never a second run of
      // effects that may have been committed.
      request.log.error({ err: error }, 'the Idempotency-Key response was not recorded');
    }
    return payload;
  });
}

function replay(reply: FastifyReply, response: StoredResponse): FastifyReply {
  reply.code(response.status).headers(response.headers).header(REPLAYED_HEADER, 'true');
  return response.body === null ? reply.send() : reply.send(response.body);
}

/** The bytes about to be sent; undefined for a stream, which cannot be kept for a replay. */
function storableBody(payload: unknown): Buffer | null | undefined {
  if (payload === undefined || payload === null) {
    return null;
  }
  if (typeof payload === 'string') {
    return Buffer.from(payload);
  }
  return Buffer.isBuffer(payload) ? payload : undefined;
}

function storedHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined || NOT_STORED.has(name) || /^(x-)?ratelimit-/.test(name)) {
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}
