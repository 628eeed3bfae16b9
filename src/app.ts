import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { MikroORM } from '@mikro-orm/postgresql';
import { KingaError } from './domain/shared/errors.ts';
import fastify, { LogController, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { DestinationStream } from 'pino';
import type { FhirRegistry } from './fhir/core/resource-module.ts';
import { fhirPlugin } from './fhir/http/fhir.plugin.ts';
import { paymentsPlugin } from './integrations/payments/payments.plugin.ts';
import { paymentRequestRoutes } from './integrations/payments/payment-requests.routes.ts';
import { providerEndpoints } from './integrations/payments/payment-providers.ts';
import { referenceLookup } from './integrations/payments/reference-lookup.ts';
import { webhooksPlugin } from './integrations/webhooks/webhooks.plugin.ts';
import { dhis2Plugin } from './integrations/dhis2/dhis2.plugin.ts';
import { paymentStaffRoutes } from './integrations/payments/staff.routes.ts';
import { reconciliationRoutes } from './integrations/payments/reconciliation/reconciliation.routes.ts';
import { FHIR_PREFIX } from './fhir/http/fhir-prefix.ts';
import { createFhirRegistry } from './fhir/registry.ts';
import { FhirProjection } from './fhir/store/projection.ts';
import { warmUp } from './fhir/validation/base-schema.ts';
import { authRoutes, createAuthServices, type AuthServices } from './platform/auth/auth.plugin.ts';
import type { Config } from './platform/config/config.ts';
import { nativePool, openOrm } from './platform/database/orm.ts';
import { problemErrorHandler } from './platform/errors/problem-handler.ts';
import { healthRoutes } from './platform/health.plugin.ts';
import { registerIdempotency } from './platform/idempotency/idempotency.hooks.ts';
import { loggerOptions } from './platform/logging.ts';
import { openApiOptions } from './platform/openapi.ts';

export interface KingaDatabase {
  orm: MikroORM;
  pool: Pool;
  registry: FhirRegistry;
}

/** Opens the ORM with the FHIR projection wired into every flush. */
export async function openDatabase(config: Config, url: string): Promise<KingaDatabase> {
  const registry = createFhirRegistry(config);
  const projection = new FhirProjection(registry.modules.map((m) => m.projector));
  const orm = await openOrm({ url, poolSize: config.DB_POOL_SIZE, subscribers: [projection] });
  return { orm, pool: await nativePool(orm), registry };
}

declare module 'fastify' {
  interface FastifyInstance {
    kinga: { auth: AuthServices; database: KingaDatabase; payments: PaymentWakeUp };
  }
}

/** Wakes the payment allocation job; the server sets `wake` once its job queue runs. */
export interface PaymentWakeUp {
  wake: () => void;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Builds the application without listening: platform first (logging, errors, limits, health,
 * auth), then the FHIR surface, then the OpenAPI document of everything registered.
 */
export async function buildApp(
  config: Config,
  database: KingaDatabase,
  options: { logStream?: DestinationStream } = {},
): Promise<FastifyInstance> {
  const app = fastify({
    logger: loggerOptions(config, options.logStream),
    // One line per request, written by the onResponse hook below, instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // Keep a caller's X-Request-Id (if sane) so a request can be followed across systems.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestTimeout: 60_000,
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    // %00 decodes to NUL, which PostgreSQL's text cannot hold and a valid OperationOutcome cannot
    // echo: refused once here, for every route's path and query (a body's \u0000: json-body.ts).
    if (request.url.includes('%00')) {
      throw new KingaError('request.nul-character', { path: 'the URL' });
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, res: reply, ms: Math.round(reply.elapsedTime) }, 'request completed');
  });
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler((request) => {
    throw new KingaError('request.route-not-found', {
      method: request.method,
      url: request.url.split('?')[0] ?? '',
    });
  });

  await app.register(swagger, openApiOptions(config));
  await app.register(formbody);
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // Facilities behind carrier-grade NAT share addresses: count per client once authenticated.
    keyGenerator: (request) => request.principal?.clientId ?? request.ip,
  });

  // Before the routes, so that its hooks apply to all of them.
  registerIdempotency(app, { pool: database.pool, ttlHours: config.IDEMPOTENCY_KEY_TTL_HOURS });
  await app.register(healthRoutes, { pool: database.pool });
  const auth = await createAuthServices(config, database.orm);
  const payments: PaymentWakeUp = { wake: () => {} };
  app.decorate('kinga', { auth, database, payments });
  await app.register(authRoutes, { services: auth, config, orm: database.orm });
  warmUp(database.registry.types.concat(['Bundle']));
  await app.register(fhirPlugin, {
    prefix: FHIR_PREFIX,
    config,
    orm: database.orm,
    pool: database.pool,
    registry: database.registry,
    authenticate: auth.authenticate,
  });
  await app.register(paymentsPlugin, {
    prefix: '/payments',
    config,
    pool: database.pool,
    endpoints: providerEndpoints(config),
    lookup: referenceLookup(database.pool),
    nudge: () => payments.wake(),
  });
  await app.register(paymentRequestRoutes, {
    prefix: '/payments',
    config,
    orm: database.orm,
    authenticate: auth.authenticate,
  });
  await app.register(paymentStaffRoutes, {
    prefix: '/payments',
    config,
    orm: database.orm,
    authenticate: auth.authenticate,
  });
  await app.register(reconciliationRoutes, {
    prefix: '/payments',
    config,
    orm: database.orm,
    authenticate: auth.authenticate,
  });
  await app.register(webhooksPlugin, { prefix: '/webhooks', config });
  await app.register(dhis2Plugin, { prefix: '/dhis2', config });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  return app;
}
