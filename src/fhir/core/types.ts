import type { EntityManager } from '@mikro-orm/core';
import type { Pool } from 'pg';
import type { Config } from '../../platform/config/config.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { Queryable } from '../../platform/database/queryable.ts';

/** A FHIR resource as served: its JSON text plus what the headers need. */
export interface ResourcePayload {
  resourceType: string;
  json: string;
  id?: string;
  versionId?: number;
  lastUpdated?: string;
}

export type Interaction =
  | 'read'
  | 'vread'
  | 'update'
  | 'delete'
  | 'history-instance'
  | 'create'
  | 'search-type'
  | 'transaction'
  | 'batch'
  | 'capabilities'
  | 'operation';

/**
 * A transport-free FHIR request: what the HTTP routes and Bundle entries both turn into, so a
 * Bundle runs exactly the handlers a single request runs.
 */
export interface FhirRequest {
  interaction: Interaction;
  resourceType: string;
  id?: string;
  versionId?: string;
  query?: URLSearchParams;
  body?: unknown;
  ifMatch?: string;
  ifNoneExist?: string;
  /** Prefer: handling=lenient|strict */
  lenient?: boolean;
  /** Server-assigned id for a POST inside a transaction (urn:uuid resolution). */
  assignedId?: string;
}

/** Outcome of a handler: the HTTP layer and the Bundle builder both read it. */
export interface FhirResult {
  outcome: 'ok' | 'created' | 'deleted' | 'existing';
  resource?: ResourcePayload;
  /** Warnings to report with the result (e.g. ignored search parameters). */
  warnings?: string[];
}

export interface FhirContext {
  config: Config;
  /** The request's entity manager; inside a transaction Bundle, the transaction's. */
  em: EntityManager;
  /** Reads: the pool normally, the transaction's connection inside a transaction Bundle. */
  db: Queryable;
  pool: Pool;
  principal: Principal;
  requestId: string;
  baseUrl: string;
  /** True while a transaction Bundle runs the handlers. */
  inTransaction: boolean;
}
