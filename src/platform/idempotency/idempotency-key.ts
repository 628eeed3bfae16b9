import { createHash } from 'node:crypto';
import { KingaError } from '../../domain/shared/errors.ts';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

const PRINTABLE_ASCII = /^[\x20-\x7E]{1,255}$/;

/**
 * The key a client sent: 1 to 255 printable ASCII characters (Stripe's limit). The IETF draft
 * (draft-ietf-httpapi-idempotency-key-header) sends it as a structured-field string, in double
 * quotes; Stripe sends it bare. Both are accepted and mean the same key.
 */
export function parseIdempotencyKey(value: string): string {
  const quoted = /^"((?:[^"\\]|\\["\\])*)"$/.exec(value);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : value;
  if (!PRINTABLE_ASCII.test(key)) {
    throw new KingaError('idempotency.key-invalid');
  }
  return key;
}

/**
 * What makes a retry "the same request": method, URL (with its query) and the exact body bytes.
 * A reused key whose fingerprint differs is refused (the draft's 422).
 */
export function requestFingerprint(method: string, url: string, bodyDigest: string): string {
  return createHash('sha256').update(`${method} ${url}\n${bodyDigest}`).digest('hex');
}
