import type { FastifyReply, FastifyRequest } from 'fastify';
import { KingaError } from '../../domain/shared/errors.ts';
import type { Authenticator } from './principal.ts';
import { allows, type Permission } from './scopes.ts';

/**
 * The onRequest hook of the REST routes outside /fhir (payments, webhooks, DHIS2): the caller
 * from its bearer token, and on a 401 the challenge RFC 6750 §3 asks for.
 */
export function bearerAuthentication(authenticate: Authenticator) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      request.principal = await authenticate(request);
    } catch (error) {
      reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw error;
    }
  };
}

/**
 * 403 (auth.scope-missing, naming `interaction`) unless the authenticated caller's SMART system
 * scopes allow `permission` on `type`: these routes are guarded by the scopes of the FHIR type
 * whose records they touch (PaymentNotice for payments, Subscription for webhooks, Measure for
 * indicators), so one token grant covers both doors.
 */
export function requireScope(
  request: FastifyRequest,
  type: string,
  permission: Permission,
  interaction: string,
): void {
  if (!allows(request.principal!.scopes, type, permission)) {
    throw new KingaError('auth.scope-missing', { interaction, type });
  }
}
