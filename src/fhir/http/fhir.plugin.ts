import type { MikroORM } from '@mikro-orm/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { KingaError } from '../../domain/shared/errors.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Authenticator } from '../../platform/auth/principal.ts';
import { smartConfiguration } from '../../platform/auth/smart-configuration.ts';
import { normaliseError } from '../../platform/errors/normalise-error.ts';
import { parseJsonBody } from '../../platform/http/json-body.ts';
import { poolQueryable } from '../../platform/database/queryable.ts';
import { processBundle } from '../bundle/process-bundle.ts';
import { capabilityStatement } from '../conformance/capability-statement.ts';
import { structureDefinition } from '../conformance/profiles.ts';
import { dispatch } from '../core/dispatch.ts';
import {
  becauseOf,
  interactionsOf,
  type FhirRegistry,
  type ResourceModule,
} from '../core/resource-module.ts';
import type { FhirContext, FhirRequest } from '../core/types.ts';
import { kindToHttp, outcomeForError } from '../outcome.ts';
import { FHIR_JSON, parsePrefer, sendResult } from './fhir-reply.ts';
import { fhirRouteSchemas } from './route-schemas.ts';
import { registerOperationRoutes } from './operation-routes.ts';
import { FHIR_PREFIX } from './fhir-prefix.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token (conformance resources only). */
    public?: boolean;
    /** Media type the route answers with when it is not FHIR JSON (an operation's PDF). */
    produces?: string;
  }
}

export interface FhirPluginOptions {
  config: Config;
  orm: MikroORM;
  pool: Pool;
  registry: FhirRegistry;
  authenticate: Authenticator;
}

/**
 * The FHIR R4 REST surface (http.html): JSON only, OperationOutcome for every error, one route per
 * interaction of each registered type. Routes only translate HTTP into a FhirRequest and a result
 * back into HTTP; the handlers behind dispatch() never see the transport.
 */
export async function fhirPlugin(app: FastifyInstance, options: FhirPluginOptions): Promise<void> {
  const { config, orm, pool, registry, authenticate } = options;
  const baseUrl = `${config.PUBLIC_BASE_URL}${FHIR_PREFIX}`;
  const db = poolQueryable(pool);

  // Resources are validated by Kinga's own validators (R4 schema + profiles); the route schemas
  // exist for the OpenAPI document only.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => (typeof data === 'string' ? data : JSON.stringify(data)));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/fhir+json', 'application/json'],
    { parseAs: 'string' },
    (_req, body, done) => {
      try {
        done(null, parseJsonBody(body as string, { fhir: true }));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });

  app.setErrorHandler((error, request, reply) => {
    const kingaError = normaliseError(error);
    const { status } = kindToHttp[kingaError.kind];
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    if (status === 401) {
      reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
    }
    if (status === 429) {
      reply.header('Retry-After', '60');
    }
    return reply
      .code(status)
      .type(FHIR_JSON)
      .send(JSON.stringify(outcomeForError(kingaError)));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.slice(FHIR_PREFIX.length + 1).split('?')[0] ?? '';
    const [type = ''] = path.split('/');
    const module = registry.get(type);
    const error = module
      ? refusedOn(module, request.method, path.split('/').length)
      : type && /^[A-Z]/.test(type)
        ? new KingaError('fhir.unknown-type', { type })
        : new KingaError('request.route-not-found', {
            method: request.method,
            url: request.url.split('?')[0] ?? '',
          });
    const { status } = kindToHttp[error.kind];
    return reply
      .code(status)
      .type(FHIR_JSON)
      .send(JSON.stringify(outcomeForError(error)));
  });

  // JSON is the only format served (the decision); XML clients get 406, not a surprise.
  app.addHook('onRequest', async (request) => {
    const accept = request.headers.accept;
    const produces = request.routeOptions.config.produces;
    if (accept && !/json|\*\/\*|application\/\*/.test(accept) && !(produces && accept.includes(produces))) {
      throw new KingaError('request.not-acceptable');
    }
  });

  // The token is checked before anything else runs (the rate limit then counts per client).
  // Only conformance resources are public (smart-app-launch: discovery must be readable first).
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public !== true) {
      request.principal = await authenticate(request);
    }
  });

  const contextOf = (request: FastifyRequest): FhirContext => {
    let em: FhirContext['em'] | undefined;
    return {
      config,
      // Reads never touch the ORM; a unit of work is opened only for writes.
      get em() {
        return (em ??= orm.em.fork());
      },
      db,
      pool,
      principal: request.principal!,
      requestId: request.id,
      baseUrl,
      inTransaction: false,
    };
  };

  const run = async (
    request: FastifyRequest,
    reply: FastifyReply,
    fhirRequest: FhirRequest,
  ): Promise<FastifyReply> => {
    const preferences = parsePrefer(request.headers.prefer as string | undefined);
    const context = contextOf(request);
    const result = await dispatch(context, registry, { ...fhirRequest, lenient: preferences.lenient });
    return sendResult(reply, result, baseUrl, preferences);
  };

  const queryOf = (request: FastifyRequest): URLSearchParams => {
    const index = request.url.indexOf('?');
    return new URLSearchParams(index < 0 ? '' : request.url.slice(index + 1));
  };
  const header = (request: FastifyRequest, name: string): string | undefined => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };

  app.get(
    '/metadata',
    { schema: fhirRouteSchemas.metadata, config: { public: true } },
    async (_request, reply) =>
      reply.type(FHIR_JSON).send(JSON.stringify(capabilityStatement(registry, config, baseUrl))),
  );
  app.get<{ Params: { id: string } }>(
    '/StructureDefinition/:id',
    { schema: fhirRouteSchemas.structureDefinition, config: { public: true } },
    async (request, reply) => {
      const definition = structureDefinition(request.params.id);
      if (!definition) {
        throw new KingaError('fhir.not-found', { type: 'StructureDefinition', id: request.params.id });
      }
      return reply.type(FHIR_JSON).send(JSON.stringify(definition));
    },
  );

  app.get(
    '/.well-known/smart-configuration',
    { schema: fhirRouteSchemas.smartConfiguration, config: { public: true } },
    async (_request, reply) =>
      reply.type('application/json').send(JSON.stringify(smartConfiguration(config))),
  );

  app.post('/', { schema: fhirRouteSchemas.bundle }, async (request, reply) => {
    const preferences = parsePrefer(header(request, 'prefer'));
    const context = contextOf(request);
    const result = await processBundle(context, registry, request.body, preferences.return !== 'minimal');
    return sendResult(reply, result, baseUrl, { ...preferences, return: 'representation' });
  });

  registerOperationRoutes(app, registry, contextOf);

  for (const module of registry.modules) {
    const type = module.type;
    const schemas = fhirRouteSchemas.forType(
      type,
      module.answeredBy
        ? {
            type: module.answeredBy,
            creates: module.answerCreates === true,
            ...(module.createDescription ? { description: module.createDescription } : {}),
          }
        : undefined,
    );
    type IdParams = { Params: { id: string } };
    type VersionParams = { Params: { id: string; vid: string } };
    const serves = new Set(interactionsOf(module));
    app.get(`/${type}`, { schema: schemas.search }, (request, reply) =>
      run(request, reply, { interaction: 'search-type', resourceType: type, query: queryOf(request) }),
    );
    app.post(`/${type}/_search`, { schema: schemas.searchPost }, (request, reply) => {
      const query = queryOf(request);
      if (request.body instanceof URLSearchParams) {
        for (const [k, v] of request.body) {
          query.append(k, v);
        }
      }
      return run(request, reply, { interaction: 'search-type', resourceType: type, query });
    });
    if (serves.has('create')) {
      app.post(`/${type}`, { schema: schemas.create }, (request, reply) => {
        const ifNoneExist = header(request, 'if-none-exist');
        return run(request, reply, {
          interaction: 'create',
          resourceType: type,
          body: request.body,
          ...(ifNoneExist === undefined ? {} : { ifNoneExist }),
        });
      });
    }
    app.get<IdParams>(`/${type}/:id`, { schema: schemas.read }, (request, reply) =>
      run(request, reply, { interaction: 'read', resourceType: type, id: request.params.id }),
    );
    if (serves.has('update')) {
      app.put<IdParams>(`/${type}/:id`, { schema: schemas.update }, (request, reply) => {
        const ifMatch = header(request, 'if-match');
        return run(request, reply, {
          interaction: 'update',
          resourceType: type,
          id: request.params.id,
          body: request.body,
          ...(ifMatch === undefined ? {} : { ifMatch }),
        });
      });
    }
    if (serves.has('delete')) {
      app.delete<IdParams>(`/${type}/:id`, { schema: schemas.delete }, (request, reply) => {
        const ifMatch = header(request, 'if-match');
        return run(request, reply, {
          interaction: 'delete',
          resourceType: type,
          id: request.params.id,
          ...(ifMatch === undefined ? {} : { ifMatch }),
        });
      });
    }
    app.get<IdParams>(`/${type}/:id/_history`, { schema: schemas.history }, (request, reply) =>
      run(request, reply, {
        interaction: 'history-instance',
        resourceType: type,
        id: request.params.id,
        query: queryOf(request),
      }),
    );
    app.get<VersionParams>(`/${type}/:id/_history/:vid`, { schema: schemas.vread }, (request, reply) =>
      run(request, reply, {
        interaction: 'vread',
        resourceType: type,
        id: request.params.id,
        versionId: request.params.vid,
      }),
    );
  }
}

/**
 * A write the type does not serve has no route; its request lands here and is named as the FHIR
 * interaction it would have been (http.html: 405 for an interaction a type does not support).
 */
function refusedOn(module: ResourceModule, method: string, segments: number): KingaError {
  const interaction =
    segments === 1 && method === 'POST'
      ? 'create'
      : segments === 2 && method === 'PUT'
        ? 'update'
        : segments === 2 && method === 'DELETE'
          ? 'delete'
          : undefined;
  if (interaction === undefined) {
    return new KingaError('request.method-not-allowed', { method });
  }
  return new KingaError('fhir.interaction-not-supported', {
    interaction,
    type: module.type,
    because: becauseOf(module),
  });
}
