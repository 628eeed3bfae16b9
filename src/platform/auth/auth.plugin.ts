import type { MikroORM } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import { AccessTokens, bearerToken } from './access-tokens.ts';
import { ensureBootstrapClient } from './bootstrap-client.ts';
import type { AssertionDependencies } from './client-assertion.ts';
import { ClientKeySets } from './client-keys.ts';
import { ClientRegistry } from './client-registry.ts';
import type { Authenticator } from './principal.ts';
import { healthCardKeys, type HealthCardKeys } from './health-card-keys.ts';
import { loadSigningKeys } from './signing-key-store.ts';
import { jwksRouteSchema } from './token.schema.ts';
import { tokenRoutes } from './token.routes.ts';
import { UsedAssertions } from './used-assertions.ts';

export interface AuthServices {
  tokens: AccessTokens;
  authenticate: Authenticator;
  clients: ClientRegistry;
  /** What the token endpoint needs to authenticate clients. */
  clientAuthentication: AssertionDependencies;
  /** The membership-card issuer keys, published next to the token keys. */
  healthCards: HealthCardKeys;
}

/** Loads the signing keys, ensures the bootstrap client, and builds the token services. */
export async function createAuthServices(config: Config, orm: MikroORM): Promise<AuthServices> {
  const { signingKey, otherKeys } = await loadSigningKeys(config, orm);
  const tokens = new AccessTokens({
    signingKey,
    otherKeys,
    issuer: config.PUBLIC_BASE_URL,
    audience: `${config.PUBLIC_BASE_URL}/fhir/R4`,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const healthCards = await healthCardKeys(config, orm.em);
  const clients = new ClientRegistry(orm);
  await ensureBootstrapClient(config, clients);
  const authenticate: Authenticator = async (request) =>
    tokens.verify(bearerToken(request.headers.authorization));
  return {
    tokens,
    authenticate,
    clients,
    healthCards,
    clientAuthentication: {
      registry: clients,
      keySets: new ClientKeySets(),
      usedAssertions: new UsedAssertions(orm),
      tokenUrl: `${config.PUBLIC_BASE_URL}/auth/token`,
    },
  };
}

/** POST /auth/token and GET /.well-known/jwks.json. */
export async function authRoutes(
  app: FastifyInstance,
  options: { services: AuthServices; config: Config; orm: MikroORM },
): Promise<void> {
  // SMART Health Cards: verifiers fetch the issuer keys from <iss>/.well-known/jwks.json, from any origin.
  app.get('/.well-known/jwks.json', { schema: jwksRouteSchema }, async (_request, reply) =>
    reply
      .header('Cache-Control', 'public, max-age=300')
      .header('Access-Control-Allow-Origin', '*')
      .send({ keys: [...options.services.tokens.jwks().keys, ...options.services.healthCards.jwks()] }),
  );
  await app.register(tokenRoutes, {
    tokens: options.services.tokens,
    clients: options.services.clientAuthentication,
  });
}
