import { importJWK, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';
import { KingaError } from '../../domain/shared/errors.ts';
import type { Principal } from './principal.ts';
import { parseScopes } from './scopes.ts';
import type { SigningKey, VerificationKey } from './signing-keys.ts';

export interface IssuedToken {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
}

/** Verified tokens are remembered until they expire: ECDSA verification is the costliest step of a read. */
const CACHE_LIMIT = 10_000;

/**
 * Kinga's access tokens (SMART Backend Services): short-lived JWTs signed with Kinga's own key,
 * typed at+jwt (RFC 9068) so that no other JWT (a client assertion, say) passes for one, with the
 * issuer, audience and algorithm pinned on verification.
 */
export class AccessTokens {
  readonly #signingKey: SigningKey;
  readonly #keys: VerificationKey[];
  readonly #issuer: string;
  readonly #audience: string;
  readonly #ttlSeconds: number;
  readonly #cache = new Map<string, { principal: Principal; expiresAt: number }>();
  readonly #verificationKeys = new Map<string, CryptoKey>();

  /** `signingKey` signs; it and `otherKeys` (older, not yet retired) verify. */
  constructor(options: {
    signingKey: SigningKey;
    otherKeys?: VerificationKey[];
    issuer: string;
    audience: string;
    ttlSeconds: number;
  }) {
    this.#signingKey = options.signingKey;
    this.#keys = [
      options.signingKey,
      ...(options.otherKeys ?? []).filter((k) => k.kid !== options.signingKey.kid),
    ];
    this.#issuer = options.issuer;
    this.#audience = options.audience;
    this.#ttlSeconds = options.ttlSeconds;
  }

  get signingKey(): SigningKey {
    return this.#signingKey;
  }

  /** Public keys for /.well-known/jwks.json: the current key and any still verifying older tokens. */
  jwks(): { keys: object[] } {
    return { keys: this.#keys.map((k) => k.publicJwk) };
  }

  async issue(grant: { clientId: string; scope: string; facilityId?: string }): Promise<IssuedToken> {
    const key = this.signingKey;
    const token = await new SignJWT({
      scope: grant.scope,
      client_id: grant.clientId,
      ...(grant.facilityId ? { facility: grant.facilityId } : {}),
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(this.#issuer)
      .setAudience(this.#audience)
      .setSubject(grant.clientId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.#ttlSeconds}s`)
      .sign(key.privateKey);
    return { access_token: token, token_type: 'bearer', expires_in: this.#ttlSeconds, scope: grant.scope };
  }

  /** The principal a token carries, or a 401 error; never anything for a token Kinga did not sign. */
  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const cached = this.#cache.get(token);
    if (cached && cached.expiresAt > now) {
      return cached.principal;
    }
    if (cached) {
      this.#cache.delete(token);
    }
    let payload: Record<string, unknown>;
    try {
      const result = await jwtVerify(token, (header) => this.#verificationKey(header.kid), {
        algorithms: [...new Set(this.#keys.map((k) => k.alg))],
        issuer: this.#issuer,
        audience: this.#audience,
        typ: 'at+jwt',
        requiredClaims: ['exp', 'iat', 'sub', 'scope'],
        clockTolerance: 30,
      });
      payload = result.payload;
    } catch (error) {
      throw new KingaError('auth.invalid-token', {}, { cause: error });
    }
    const principal: Principal = {
      clientId: String(payload['sub']),
      scopes: parseScopes(typeof payload['scope'] === 'string' ? payload['scope'] : ''),
      ...(typeof payload['facility'] === 'string' ? { facilityId: payload['facility'] } : {}),
    };
    if (this.#cache.size >= CACHE_LIMIT) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(token, { principal, expiresAt: Number(payload['exp']) * 1000 });
    return principal;
  }

  async #verificationKey(kid: string | undefined): Promise<CryptoKey> {
    const key = this.#keys.find((k) => k.kid === kid);
    if (!key) {
      throw new Error('unknown key id');
    }
    let imported = this.#verificationKeys.get(key.kid);
    if (!imported) {
      imported = (await importJWK(key.publicJwk, key.alg)) as CryptoKey;
      this.#verificationKeys.set(key.kid, imported);
    }
    return imported;
  }
}

/** Reads `Authorization: Bearer <token>` (the header only: tokens in URLs end up in logs). */
export function bearerToken(header: string | undefined): string {
  if (!header) {
    throw new KingaError('auth.missing-token');
  }
  const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim());
  if (!match || match[1]!.length > 8192) {
    throw new KingaError('auth.invalid-token');
  }
  return match[1]!;
}
