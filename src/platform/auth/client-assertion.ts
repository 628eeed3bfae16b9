import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { KingaError } from '../../domain/shared/errors.ts';
import type { ApiClient } from './auth.entities.ts';
import type { ClientKeySets } from './client-keys.ts';
import type { ClientRegistry } from './client-registry.ts';
import type { UsedAssertions } from './used-assertions.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** SMART client-confidential-asymmetric: clients sign with RS384 or ES384; nothing else verifies. */
export const ASSERTION_ALGORITHMS = ['RS384', 'ES384'];
/** "exp … SHALL be no more than five minutes in the future". */
const MAX_LIFETIME_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_ASSERTION_LENGTH = 16_384;
const MAX_JTI_LENGTH = 200;

export interface AssertionDependencies {
  registry: ClientRegistry;
  keySets: ClientKeySets;
  usedAssertions: UsedAssertions;
  /** The token endpoint URL: the only accepted `aud`. */
  tokenUrl: string;
}

const failed = (cause?: unknown) => new KingaError('auth.client-invalid', {}, { cause });
const refused = (reason: string, cause?: unknown) =>
  new KingaError('auth.client-assertion-refused', { reason }, { cause });

/**
 * Authenticates a client by its signed assertion (RFC 7523 §3, SMART backend services): the key
 * comes from the client's registration only, the algorithm is pinned, iss = sub = client id, aud =
 * the token URL, exp at most five minutes ahead, and the jti is used once.
 */
export async function verifyClientAssertion(
  assertion: string,
  dependencies: AssertionDependencies,
): Promise<ApiClient> {
  if (assertion.length > MAX_ASSERTION_LENGTH) {
    throw failed();
  }
  let unverified: JWTPayload;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
    unverified = decodeJwt(assertion);
  } catch (error) {
    throw failed(error);
  }
  // RFC 8725 §3.11: an access token (at+jwt) or any other typed JWT is not a client assertion.
  if (header.typ !== undefined && String(header.typ).toUpperCase() !== 'JWT') {
    throw failed();
  }
  if (typeof unverified.iss !== 'string' || unverified.iss === '') {
    throw failed();
  }
  const client = await dependencies.registry.find(unverified.iss);
  if (!client) {
    throw failed();
  }
  // SMART key resolution, step 1: a jku must name the registered JWKS URL; it is never fetched.
  if (header.jku !== undefined && header.jku !== client.jwksUrl) {
    throw failed();
  }
  const keySet = dependencies.keySets.keySetFor(client);
  if (!keySet) {
    throw failed();
  }

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, keySet, {
      algorithms: ASSERTION_ALGORITHMS,
      issuer: client.clientId,
      subject: client.clientId,
      audience: dependencies.tokenUrl,
      requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    // Claims are checked only after the signature verified: the caller holds the client's key.
    if (error instanceof errors.JWTExpired) {
      throw refused('it has expired', error);
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw refused(error.message, error);
    }
    throw failed(error);
  }

  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp!;
  if (exp > now + MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    throw refused('exp is more than five minutes ahead');
  }
  if (payload.iat !== undefined && payload.iat > now + CLOCK_TOLERANCE_SECONDS) {
    throw refused('iat is in the future');
  }
  const jti: unknown = payload.jti;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
    throw refused('the jti must be a string of 1 to 200 characters');
  }
  const expiresAt = new Date((exp + CLOCK_TOLERANCE_SECONDS) * 1000);
  if (!(await dependencies.usedAssertions.claim(client.clientId, jti, expiresAt))) {
    throw refused('its jti was already used');
  }
  return client;
}
