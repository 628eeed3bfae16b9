import type { MikroORM } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import { Organisation } from '../../domain/organisation/organisation.entity.ts';
import { findLiveOrganisation } from '../../domain/organisation/organisation.repository.ts';
import { ApiClient } from './auth.entities.ts';
import { assertJwksUrl, assertPublicJwks } from './client-keys.ts';
import { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secrets.ts';
import { parseScope } from './scopes.ts';

export interface ClientRegistration {
  name: string;
  /** Space-separated SMART system scopes: the most this client may ever be granted. */
  scopes: string;
  /** Public keys (private_key_jwt); or `jwksUrl`; with neither, a secret is generated. */
  jwks?: unknown;
  jwksUrl?: string;
  /** Organisation id of the health facility the client acts for. */
  facilityId?: string;
}

export interface RegisteredClient {
  clientId: string;
  /** Only for secret clients, and only now: the secret is stored as a hash. */
  secret?: string;
}

export interface ClientSummary {
  clientId: string;
  name: string;
  scopes: string;
  authentication: 'private_key_jwt' | 'client_secret_basic';
  jwksUrl?: string;
  facilityId?: string;
  enabled: boolean;
  createdAt: Date;
}

function invalid(detail: string): KingaError {
  return new KingaError('auth.client-registration-invalid', { detail });
}

/** Every scope of a registration must be a SMART system scope Kinga understands. */
export function normaliseScopes(scopes: string): string {
  const list = scopes.split(/\s+/).filter(Boolean);
  if (list.length === 0) {
    throw invalid('at least one scope is required');
  }
  const unknown = list.filter((s) => !parseScope(s));
  if (unknown.length > 0) {
    throw invalid(`not SMART system scopes: ${unknown.join(' ')}`);
  }
  return [...new Set(list)].join(' ');
}

/** The registered API clients (api_client): registration, listing, disabling, lookup. */
export class ClientRegistry {
  readonly #orm: MikroORM;

  constructor(orm: MikroORM) {
    this.#orm = orm;
  }

  async register(registration: ClientRegistration, clientId = randomUUID()): Promise<RegisteredClient> {
    const name = registration.name.trim();
    if (name === '' || name.length > 200) {
      throw invalid('the name must have 1 to 200 characters');
    }
    const scopes = normaliseScopes(registration.scopes);
    if (registration.jwks !== undefined && registration.jwksUrl !== undefined) {
      throw invalid('register either a JWKS or a JWKS URL, not both');
    }
    if (registration.jwks !== undefined) {
      assertPublicJwks(registration.jwks);
    }
    if (registration.jwksUrl !== undefined) {
      assertJwksUrl(registration.jwksUrl);
    }
    const em = this.#orm.em.fork();
    const facility = registration.facilityId ? await this.#facility(registration.facilityId) : null;
    const usesKeys = registration.jwks !== undefined || registration.jwksUrl !== undefined;
    const secret = usesKeys ? undefined : generateClientSecret();
    em.create(ApiClient, {
      clientId,
      name,
      scopes,
      secretHash: secret ? await hashClientSecret(secret) : null,
      jwks: registration.jwks ?? null,
      jwksUrl: registration.jwksUrl ?? null,
      facility: facility ? em.getReference(Organisation, facility.id) : null,
    });
    await em.flush();
    return { clientId, ...(secret ? { secret } : {}) };
  }

  async list(): Promise<ClientSummary[]> {
    const clients = await this.#orm.em.fork().find(ApiClient, {}, { orderBy: { createdAt: 'asc' } });
    return clients.map((c) => ({
      clientId: c.clientId,
      name: c.name,
      scopes: c.scopes,
      authentication: c.secretHash ? 'client_secret_basic' : 'private_key_jwt',
      ...(c.jwksUrl ? { jwksUrl: c.jwksUrl } : {}),
      ...(c.facility ? { facilityId: c.facility.id } : {}),
      enabled: c.enabled,
      createdAt: c.createdAt,
    }));
  }

  /** A disabled client gets no new tokens; tokens already issued expire within their lifetime (≤ 300 s). */
  async disable(clientId: string): Promise<void> {
    const em = this.#orm.em.fork();
    const client = await em.findOne(ApiClient, { clientId });
    if (!client) {
      throw new KingaError('auth.client-not-found', { clientId });
    }
    client.enabled = false;
    await em.flush();
  }

  async find(clientId: string): Promise<ApiClient | null> {
    return this.#orm.em.fork().findOne(ApiClient, { clientId });
  }

  /**
   * Makes `clientId` a secret client with `scopes` and this secret, creating it when absent; the
   * hash is rewritten only when the secret changed. Whether it is enabled is left as it is.
   */
  async ensureSecretClient(clientId: string, name: string, scopes: string, secret: string): Promise<void> {
    const em = this.#orm.em.fork();
    const client = await em.findOne(ApiClient, { clientId });
    if (!client) {
      const secretHash = await hashClientSecret(secret);
      em.create(ApiClient, { clientId, name, scopes: normaliseScopes(scopes), secretHash });
    } else {
      client.scopes = normaliseScopes(scopes);
      if (!(await verifyClientSecret(secret, client.secretHash))) {
        client.secretHash = await hashClientSecret(secret);
      }
    }
    await em.flush();
  }

  async #facility(id: string): Promise<Organisation> {
    if (!isUuid(id)) {
      throw invalid(`facility ${id} is not an Organization id`);
    }
    const organisation = await findLiveOrganisation(this.#orm.em.fork(), id, 'facility');
    if (!organisation.isHealthFacility()) {
      throw invalid(`Organization ${id} is not a health facility`);
    }
    return organisation;
  }
}
