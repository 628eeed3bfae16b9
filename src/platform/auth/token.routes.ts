import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KingaError } from '../../domain/shared/errors.ts';
import type { AccessTokens } from './access-tokens.ts';
import type { AssertionDependencies } from './client-assertion.ts';
import { authenticateClient } from './client-authentication.ts';
import { oauthErrorHandler } from './oauth-errors.ts';
import { grantScopes } from './scopes.ts';
import { tokenRouteSchema } from './token.schema.ts';

export interface TokenRouteOptions {
  tokens: AccessTokens;
  clients: AssertionDependencies;
}

const PARAMETERS = [
  'grant_type',
  'scope',
  'client_id',
  'client_secret',
  'client_assertion_type',
  'client_assertion',
] as const;
type TokenParameters = Partial<Record<(typeof PARAMETERS)[number], string>>;

/** The form parameters, each at most once (RFC 6749 §3.2: "MUST NOT be included more than once"). */
function parametersOf(request: FastifyRequest): TokenParameters {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
    throw new KingaError('auth.token-request-invalid', {
      detail: 'send the parameters as application/x-www-form-urlencoded',
    });
  }
  const body = (request.body ?? {}) as Record<string, unknown>;
  const parameters: TokenParameters = {};
  for (const name of PARAMETERS) {
    const value = body[name];
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'string') {
      throw new KingaError('auth.token-request-invalid', { detail: `${name} must be given once` });
    }
    parameters[name] = value;
  }
  return parameters;
}

/**
 * POST /auth/token: SMART Backend Services (client_credentials only; RFC 9700 §2.4 rules out the
 * password grant). The token is short-lived, carries the granted scope (requested ∩ pre-authorised)
 * and the client's facility, and comes with no refresh token.
 */
export async function tokenRoutes(app: FastifyInstance, options: TokenRouteOptions): Promise<void> {
  app.setErrorHandler(oauthErrorHandler);

  app.post('/auth/token', { schema: tokenRouteSchema }, async (request, reply) => {
    const parameters = parametersOf(request);
    const grantType = parameters.grant_type;
    if (!grantType) {
      throw new KingaError('auth.token-request-invalid', { detail: 'grant_type is required' });
    }
    if (grantType !== 'client_credentials') {
      throw new KingaError('auth.unsupported-grant-type', { grantType: grantType.slice(0, 50) });
    }
    const client = await authenticateClient(parameters, request.headers.authorization, options.clients);
    const requested = parameters.scope?.trim();
    if (!requested) {
      throw new KingaError('auth.token-request-invalid', { detail: 'scope is required' });
    }
    const granted = grantScopes(requested, client.scopes);
    if (granted.length === 0) {
      throw new KingaError('auth.scope-invalid', { requested: requested.slice(0, 200) });
    }
    const issued = await options.tokens.issue({
      clientId: client.clientId,
      scope: granted.join(' '),
      ...(client.facility ? { facilityId: client.facility.id } : {}),
    });
    // RFC 6749 §5.1: token responses are never cached.
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(issued);
  });
}
