import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateClient } from '../../platform/auth/client-authentication.ts';
import { requireScope } from '../../platform/auth/route-guards.ts';
import { parseScopes, type Permission } from '../../platform/auth/scopes.ts';

/** A SMART system scope a route needs: `system/<type>.<permission>`. */
export interface ScopeNeed {
  type: string;
  permission: Permission;
  /** Named in the 403 (`read`, `update`, …). */
  interaction: string;
}

/**
 * The onRequest check of a /dhis2 route: a bearer token as on the FHIR routes, and with `basic`
 * also HTTP Basic with a registered client's id and secret (RFC 6749 §2.3.1, as the token
 * endpoint takes them), which is what DHIS2's Aggregate Data Exchange sends to an external target
 * (integrations.md §2). Such a client is granted every scope it is registered with.
 */
export function authenticated(app: FastifyInstance, need: ScopeNeed, options: { basic?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    try {
      if (options.basic && header !== undefined && /^basic\s/i.test(header.trim())) {
        const client = await authenticateClient({}, header, app.kinga.auth.clientAuthentication);
        request.principal = {
          clientId: client.clientId,
          scopes: parseScopes(client.scopes),
          ...(client.facility ? { facilityId: client.facility.id } : {}),
        };
      } else {
        request.principal = await app.kinga.auth.authenticate(request);
      }
    } catch (error) {
      reply.header(
        'WWW-Authenticate',
        options.basic ? 'Basic realm="Kinga", Bearer' : 'Bearer error="invalid_token"',
      );
      throw error;
    }
    assertScope(request, need);
  };
}

/** 403 unless the caller's scopes allow `need`. */
export function assertScope(request: FastifyRequest, need: ScopeNeed): void {
  requireScope(request, need.type, need.permission, need.interaction);
}
