import type { Bundle } from '@medplum/fhirtypes';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { HEALTH_CARD_ALG, type HealthCardKeys } from '../../platform/auth/health-card-keys.ts';

/** The credential type every SMART Health Card carries (terminology.smarthealth.cards). */
export const HEALTH_CARD_TYPE = 'https://smarthealth.cards#health-card';

export interface HealthCardClaims {
  iss: string;
  nbf: number;
  exp?: number;
  vc: {
    type: string[];
    credentialSubject: { fhirVersion: string; fhirBundle: Bundle };
  };
}

/**
 * Signs a SMART Health Card (spec.smarthealth.cards "Health Cards are Compact"): the minified
 * claims, raw-DEFLATEd, in a compact JWS with alg ES256, zip DEF and the key's thumbprint as kid.
 */
export async function signHealthCard(keys: HealthCardKeys, claims: HealthCardClaims): Promise<string> {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(claims)));
  return new CompactSign(payload)
    .setProtectedHeader({ alg: HEALTH_CARD_ALG, zip: 'DEF', kid: keys.signer.kid })
    .sign(keys.signer.privateKey);
}

/** `shc:/` and two digits per JWS character, Ord(c) − 45 ("Encoding QRs"). */
export function toShcUri(jws: string): string {
  let digits = '';
  for (const char of jws) {
    digits += String(char.charCodeAt(0) - 45).padStart(2, '0');
  }
  return `shc:/${digits}`;
}

/** The JWS of a `shc:/` string (a single QR; chunked ones are deprecated), or the JWS itself. */
export function jwsOf(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('shc:/')) {
    return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(trimmed) ? trimmed : undefined;
  }
  const digits = trimmed.slice('shc:/'.length);
  if (!/^(\d\d)+$/.test(digits)) {
    return undefined;
  }
  let jws = '';
  for (let i = 0; i < digits.length; i += 2) {
    jws += String.fromCharCode(Number(digits.slice(i, i + 2)) + 45);
  }
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(jws) ? jws : undefined;
}

export type HealthCardVerification =
  | { valid: true; issuer: string; issuedAt: Date; expiresAt?: Date; bundle: Bundle }
  | { valid: false; problem: string; issuer?: string };

/**
 * Verifies a card this scheme issued, as a verifier holding its JWKS would: one of the scheme's
 * issuer keys by kid, ES256 only, the signature, then the inflated claims (issuer, nbf, exp, type).
 */
export async function verifyHealthCard(
  keys: HealthCardKeys,
  issuer: string,
  text: string,
  now: Date = new Date(),
): Promise<HealthCardVerification> {
  const jws = jwsOf(text);
  if (!jws) {
    return { valid: false, problem: 'not a SMART Health Card: neither a shc:/ QR text nor a compact JWS' };
  }
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(jws);
    if (header.alg !== HEALTH_CARD_ALG || header.zip !== 'DEF') {
      return { valid: false, problem: 'the header must say alg ES256 and zip DEF' };
    }
    kid = header.kid;
  } catch {
    return { valid: false, problem: 'the JWS header cannot be read' };
  }
  const key = await keys.verificationKey(kid);
  if (!key) {
    return {
      valid: false,
      problem: `not signed with an issuer key of this scheme (kid ${kid ?? 'missing'})`,
    };
  }
  let payload: Uint8Array;
  try {
    payload = (await compactVerify(jws, key, { algorithms: [HEALTH_CARD_ALG] })).payload;
  } catch {
    return { valid: false, problem: 'the signature does not match: the card was altered or forged' };
  }
  let claims: HealthCardClaims;
  try {
    claims = JSON.parse(inflateRawSync(payload).toString('utf8')) as HealthCardClaims;
  } catch {
    return { valid: false, problem: 'the payload is not DEFLATE-compressed JSON' };
  }
  if (claims.iss !== issuer) {
    return {
      valid: false,
      problem: `issued by ${String(claims.iss)}, not by this scheme`,
      issuer: String(claims.iss),
    };
  }
  const seconds = now.getTime() / 1000;
  // A minute of tolerance for clocks that disagree.
  if (typeof claims.nbf !== 'number' || claims.nbf > seconds + 60) {
    return { valid: false, problem: 'not valid yet (nbf)', issuer };
  }
  if (claims.exp !== undefined && claims.exp < seconds) {
    return { valid: false, problem: `expired on ${new Date(claims.exp * 1000).toISOString()}`, issuer };
  }
  const bundle = claims.vc?.credentialSubject?.fhirBundle;
  if (!claims.vc?.type?.includes(HEALTH_CARD_TYPE) || bundle?.resourceType !== 'Bundle') {
    return { valid: false, problem: 'not a health card credential with a FHIR Bundle', issuer };
  }
  return {
    valid: true,
    issuer,
    issuedAt: new Date(claims.nbf * 1000),
    ...(claims.exp === undefined ? {} : { expiresAt: new Date(claims.exp * 1000) }),
    bundle,
  };
}
