import type { FastifyRequest } from 'fastify';
import type { SystemScope } from './scopes.ts';

/** The authenticated caller of a request: a registered client and what its token grants. */
export interface Principal {
  clientId: string;
  scopes: readonly SystemScope[];
  /** The health facility a facility-bound client (an EMR) acts for. */
  facilityId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Resolves the caller of a request from its bearer token; throws 401 without a valid one. */
export type Authenticator = (request: FastifyRequest) => Promise<Principal>;
