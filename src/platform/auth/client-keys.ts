import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { KingaError } from '../../domain/shared/errors.ts';

/** Key types that can verify the assertion algorithms Kinga accepts (RS384, ES384). */
const KEY_TYPES = new Set(['RSA', 'EC']);
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function invalid(detail: string): KingaError {
  return new KingaError('auth.client-registration-invalid', { detail });
}

/**
 * A client's registered public keys (client-confidential-asymmetric: each with kty and kid, bare
 * key members, no private members; one key per kid and kty so that key selection is unambiguous).
 */
export function assertPublicJwks(value: unknown): asserts value is JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw invalid('the JWKS needs a non-empty "keys" list');
  }
  const seen = new Set<string>();
  for (const key of keys as JWK[]) {
    if (typeof key !== 'object' || key === null) {
      throw invalid('every JWKS member must be an object');
    }
    if (!key.kty || !KEY_TYPES.has(key.kty)) {
      throw invalid('every key needs kty RSA or EC');
    }
    if (typeof key.kid !== 'string' || key.kid === '') {
      throw invalid('every key needs a kid');
    }
    if (PRIVATE_MEMBERS.some((m) => m in key)) {
      throw invalid(`key ${key.kid} holds private members`);
    }
    const identity = `${key.kty}/${key.kid}`;
    if (seen.has(identity)) {
      throw invalid(`kid ${key.kid} appears twice`);
    }
    seen.add(identity);
  }
  try {
    createLocalJWKSet(value as JSONWebKeySet);
  } catch (error) {
    throw new KingaError(
      'auth.client-registration-invalid',
      { detail: 'the JWKS is malformed' },
      { cause: error },
    );
  }
}

/** JWKS URLs are fetched by the server: https only, except a loopback address (development, tests). */
export function assertJwksUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`${value} is not a URL`);
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw invalid('the JWKS URL must use https');
  }
  if (url.username || url.password) {
    throw invalid('the JWKS URL may not carry credentials');
  }
  if (value.length > 500) {
    throw invalid('the JWKS URL is longer than 500 characters');
  }
}

/** Remote key sets are cached for at most 5 minutes, and refetched for an unknown kid at most every 30 s. */
const REMOTE_OPTIONS = { cacheMaxAge: 300_000, cooldownDuration: 30_000, timeoutDuration: 5_000 };

/**
 * Resolves the key that verifies a client's assertion, from the client's registration only: the
 * assertion's own jku, x5u, jwk and x5c headers are never used (RFC 8725 §3.10). Several keys
 * matching a kid is a failure, not a choice (SMART key resolution, step 3).
 */
export class ClientKeySets {
  readonly #remote = new Map<string, JWTVerifyGetKey>();

  keySetFor(client: { jwks?: object | null; jwksUrl?: string | null }): JWTVerifyGetKey | undefined {
    let keySet: JWTVerifyGetKey | undefined;
    if (client.jwks) {
      keySet = createLocalJWKSet(client.jwks as JSONWebKeySet);
    } else if (client.jwksUrl) {
      keySet = this.#remoteSet(client.jwksUrl);
    }
    if (!keySet) {
      return undefined;
    }
    const resolve = keySet;
    return async (header, token) => {
      if (typeof header.kid !== 'string') {
        throw new Error('the assertion names no kid');
      }
      try {
        return await resolve(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSMultipleMatchingKeys) {
          throw new Error('several keys match the kid', { cause: error });
        }
        throw error;
      }
    };
  }

  #remoteSet(url: string): JWTVerifyGetKey {
    let set = this.#remote.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), REMOTE_OPTIONS);
      this.#remote.set(url, set);
    }
    return set;
  }
}
