import { KingaError } from '../../domain/shared/errors.ts';
import type { ApiClient } from './auth.entities.ts';
import {
  CLIENT_ASSERTION_TYPE,
  verifyClientAssertion,
  type AssertionDependencies,
} from './client-assertion.ts';
import { verifyClientSecret } from './client-secrets.ts';

/** The token request parameters that concern client authentication. */
export interface ClientCredentials {
  client_id?: string;
  client_secret?: string;
  client_assertion_type?: string;
  client_assertion?: string;
}

const MAX_BASIC_HEADER_LENGTH = 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const failed = () => new KingaError('auth.client-invalid');
const badRequest = (detail: string) => new KingaError('auth.token-request-invalid', { detail });

/**
 * Authenticates the client of a token request by exactly one method (RFC 6749 §2.3):
 * private_key_jwt (a signed assertion) or client_secret_basic. Any failure is `invalid_client`
 * without saying whether the client exists.
 */
export async function authenticateClient(
  credentials: ClientCredentials,
  authorization: string | undefined,
  dependencies: AssertionDependencies,
): Promise<ApiClient> {
  const hasAssertion =
    credentials.client_assertion !== undefined || credentials.client_assertion_type !== undefined;
  if (hasAssertion && authorization !== undefined) {
    throw badRequest('use one client authentication method, not an Authorization header and an assertion');
  }
  // client_secret_post is not offered: secrets travel only in the Authorization header.
  if (credentials.client_secret !== undefined) {
    throw failed();
  }

  let client: ApiClient;
  if (hasAssertion) {
    if (credentials.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
      throw badRequest(`client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
    }
    if (!credentials.client_assertion) {
      throw badRequest('client_assertion is required');
    }
    client = await verifyClientAssertion(credentials.client_assertion, dependencies);
  } else if (authorization !== undefined) {
    client = await secretClient(authorization, dependencies);
  } else {
    throw failed();
  }
  if (credentials.client_id !== undefined && credentials.client_id !== client.clientId) {
    throw failed();
  }
  if (!client.enabled) {
    throw new KingaError('auth.client-disabled');
  }
  return client;
}

/** `Authorization: Basic base64(urlencode(client_id):urlencode(secret))` (RFC 6749 §2.3.1). */
async function secretClient(authorization: string, dependencies: AssertionDependencies): Promise<ApiClient> {
  if (authorization.length > MAX_BASIC_HEADER_LENGTH) {
    throw failed();
  }
  const match = /^Basic +(\S+)$/i.exec(authorization.trim());
  if (!match || !BASE64.test(match[1]!)) {
    throw failed();
  }
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw failed();
  }
  let clientId: string;
  let secret: string;
  try {
    clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
  } catch {
    throw failed();
  }
  const client = await dependencies.registry.find(clientId);
  // An unknown client is checked against a decoy hash, so it costs as long as a wrong secret.
  const valid = await verifyClientSecret(secret, client?.secretHash);
  if (!client || !valid) {
    throw failed();
  }
  return client;
}
