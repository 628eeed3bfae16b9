import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import type { Config } from '../../platform/config/config.ts';
import { parseJsonBody } from '../../platform/http/json-body.ts';
import { storeInInbox } from './inbox-store.ts';
import type { ProviderEndpoint, ReferenceLookup } from './provider-adapter.ts';

export interface PaymentsPluginOptions {
  config: Config;
  pool: Pool;
  endpoints: readonly ProviderEndpoint[];
  lookup: ReferenceLookup;
  /** Tells the allocation job there is work (debounced by the caller); absent in tests. */
  nudge?: () => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** Headers kept with a callback: what a later check of its authenticity may need, never credentials. */
const KEPT_HEADERS = [
  'content-type',
  'date',
  'fspiop-signature',
  'fspiop-source',
  'fspiop-destination',
  'fspiop-uri',
  'fspiop-http-method',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-forwarded-for',
];

/**
 * The providers' callback endpoints under /payments (not FHIR: each speaks its provider's shape).
 * Each request is authenticated the provider's way, its events stored in the inbox before the
 * answer, and the answer is the provider's expected acknowledgement. The raw body is kept as
 * received: signatures are over those bytes.
 */
export async function paymentsPlugin(app: FastifyInstance, options: PaymentsPluginOptions): Promise<void> {
  const { config, pool, endpoints, lookup } = options;
  // Any JSON flavour (Mojaloop sends application/vnd.interoperability.transfers+json;version=1.1).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json/,
    { parseAs: 'string' },
    (request, body, done) => {
      const text = body as string;
      request.rawBody = text;
      try {
        done(null, parseJsonBody(text));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  for (const endpoint of endpoints) {
    app.route<{ Params: Record<string, string> }>({
      method: endpoint.method,
      url: endpoint.url,
      schema: { summary: endpoint.summary, tags: ['Payments'] },
      handler: async (request, reply) => {
        const callback = { rawBody: request.rawBody ?? '', body: request.body, request };
        await endpoint.authenticate(callback, config);
        if (endpoint.answer) {
          const answer = await endpoint.answer(callback, lookup);
          return reply
            .code(answer.status)
            .headers(answer.headers ?? {})
            .send(answer.body);
        }
        const events = endpoint.events(callback, config);
        const stored = await storeInInbox(pool, callback.rawBody, keptHeaders(request), events);
        if (stored > 0) {
          options.nudge?.();
        }
        const answer = endpoint.reply(callback, events);
        return reply
          .code(answer.status)
          .headers(answer.headers ?? {})
          .send(answer.body);
      },
    });
  }
}

function keptHeaders(request: FastifyRequest): Record<string, string> {
  const kept: Record<string, string> = { 'source-ip': request.ip };
  for (const name of KEPT_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') {
      kept[name] = value;
    }
  }
  return kept;
}
