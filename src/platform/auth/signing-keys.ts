import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import { createHash } from 'node:crypto';

/** The algorithm of generated access-token keys; each key verifies with its own alg only (RFC 8725 §3.1). */
export const ACCESS_TOKEN_ALG = 'ES256';

/** A public key that verifies Kinga's access tokens and is published in the JWKS. */
export interface VerificationKey {
  kid: string;
  alg: string;
  publicJwk: JWK;
}

/** The key that signs new access tokens. */
export interface SigningKey extends VerificationKey {
  privateKey: CryptoKey;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** RFC 7638-style thumbprint, short: a stable kid for a key. */
function kidOf(publicJwk: JWK): string {
  const canonical = JSON.stringify({
    crv: publicJwk.crv,
    kty: publicJwk.kty,
    x: publicJwk.x,
    y: publicJwk.y,
    n: publicJwk.n,
    e: publicJwk.e,
  });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function isPrivateJwk(jwk: JWK): boolean {
  return typeof jwk.d === 'string';
}

/** The public half of a (private or public) JWK, with its kid, alg and use filled in. */
export function verificationKeyFromJwk(jwk: JWK): VerificationKey {
  const publicJwk: JWK = { ...jwk };
  for (const member of PRIVATE_MEMBERS) {
    delete publicJwk[member];
  }
  delete publicJwk.key_ops;
  const alg = jwk.alg ?? ACCESS_TOKEN_ALG;
  const kid = jwk.kid ?? kidOf(publicJwk);
  return { kid, alg, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}

export async function signingKeyFromJwk(privateJwk: JWK): Promise<SigningKey> {
  const verification = verificationKeyFromJwk(privateJwk);
  const privateKey = (await importJWK(privateJwk, verification.alg)) as CryptoKey;
  return { ...verification, privateKey };
}

export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg: ACCESS_TOKEN_ALG };
}
