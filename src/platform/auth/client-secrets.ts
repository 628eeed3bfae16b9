import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost (N = 2^14, r = 8, p = 1: the RFC 7914 interactive setting); stored with each hash. */
const COST = { N: 16_384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** A new client secret: 256 random bits, URL-safe (no character needs encoding in Basic auth). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `scrypt$N$r$p$salt$hash`: only this is stored, never the secret. */
export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Hash of no real secret: unknown clients are checked against it so they take as long as known ones. */
const DECOY_HASH = await hashClientSecret(generateClientSecret());

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyClientSecret(
  secret: string,
  stored: string | null | undefined,
): Promise<boolean> {
  const parts = (stored ?? DECOY_HASH).split('$');
  const [scheme, n, r, p, salt, hash] = parts;
  if (parts.length !== 6 || scheme !== 'scrypt' || !salt || !hash) {
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  if (expected.length !== KEY_LENGTH || !Object.values(options).every(Number.isSafeInteger)) {
    return false;
  }
  try {
    const actual = await derive(secret, Buffer.from(salt, 'base64url'), options);
    return timingSafeEqual(actual, expected) && stored !== undefined && stored !== null;
  } catch {
    return false; // scrypt refused the stored parameters
  }
}
