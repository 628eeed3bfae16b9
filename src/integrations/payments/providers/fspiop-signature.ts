import { createPublicKey, type KeyObject } from 'node:crypto';
import { flattenedVerify } from 'jose';
import { KingaError } from '../../../domain/shared/errors.ts';
import type { Config } from '../../../platform/config/config.ts';
import type { Callback } from '../provider-adapter.ts';

/** Where the payments plugin mounts the Mojaloop endpoints; FSPs sign the FSPIOP resource path. */
const MOUNT = '/payments/mojaloop';

/** The algorithms Signature v1.1 §3.2 allows (RSA, 2048 bits or more). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/** Protected-header parameters of JOSE itself, not copies of HTTP headers (RFC 7515 §4.1). */
const JOSE_PARAMETERS = new Set([
  'alg',
  'jku',
  'jwk',
  'kid',
  'x5u',
  'x5c',
  'x5t',
  'x5t#S256',
  'typ',
  'cty',
  'crit',
]);

const keys = new Map<string, KeyObject>();

/** The configured FSP key (PEM; `\n` escapes of a one-line environment variable are accepted). */
function fspKey(pem: string): KeyObject {
  let key = keys.get(pem);
  if (!key) {
    key = createPublicKey(pem.replace(/\\n/g, '\n'));
    keys.set(pem, key);
  }
  return key;
}

function refuse(detail: string): KingaError {
  return new KingaError('payment.callback-unauthenticated', { detail });
}

function header(callback: Callback, name: string): string | undefined {
  const value = callback.request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Verifies `FSPIOP-Signature` as Mojaloop's Signature v1.1 §3.3 says: a JWS (JSON
 * `{signature, protectedHeader}`) whose payload is the HTTP body exactly as received, signed
 * RS256/384/512 by the configured FSP key; its protected header names the request (FSPIOP-URI,
 * FSPIOP-HTTP-Method: a signature lifted onto another request fails) and the sender
 * (FSPIOP-Source), and every HTTP header it protects must have the value the request carries.
 */
export async function assertFspiopSignature(callback: Callback, config: Config): Promise<void> {
  if (!config.MOJALOOP_FSP_PUBLIC_KEY) {
    throw refuse('no FSP key is configured');
  }
  const text = header(callback, 'FSPIOP-Signature');
  if (!text) {
    throw refuse('FSPIOP-Signature is missing');
  }
  let signed: { signature?: unknown; protectedHeader?: unknown };
  try {
    signed = JSON.parse(text) as typeof signed;
  } catch {
    throw refuse('FSPIOP-Signature is not JSON');
  }
  if (typeof signed?.signature !== 'string' || typeof signed.protectedHeader !== 'string') {
    throw refuse('FSPIOP-Signature needs a signature and a protectedHeader');
  }
  let parameters: Record<string, unknown>;
  try {
    const result = await flattenedVerify(
      {
        protected: signed.protectedHeader,
        payload: Buffer.from(callback.rawBody).toString('base64url'),
        signature: signed.signature,
      },
      fspKey(config.MOJALOOP_FSP_PUBLIC_KEY),
      { algorithms: ALGORITHMS },
    );
    parameters = result.protectedHeader as Record<string, unknown>;
  } catch {
    throw refuse('the signature does not verify with the FSP key');
  }
  assertNamesThisRequest(callback, parameters, config);
}

function assertNamesThisRequest(
  callback: Callback,
  parameters: Record<string, unknown>,
  config: Config,
): void {
  const { request } = callback;
  const uri = parameters['FSPIOP-URI'];
  const path = request.url.startsWith(MOUNT) ? request.url.slice(MOUNT.length) : request.url;
  if (uri !== path && uri !== request.url) {
    throw refuse(`the signature is for ${String(uri)}, not ${path}`);
  }
  if (parameters['FSPIOP-HTTP-Method'] !== request.method) {
    throw refuse(`the signature is for ${String(parameters['FSPIOP-HTTP-Method'])}, not ${request.method}`);
  }
  if (typeof parameters['FSPIOP-Source'] !== 'string') {
    throw refuse('the signature does not name its FSPIOP-Source');
  }
  for (const [name, value] of Object.entries(parameters)) {
    if (JOSE_PARAMETERS.has(name) || name === 'FSPIOP-URI' || name === 'FSPIOP-HTTP-Method') {
      continue;
    }
    if (header(callback, name) !== value) {
      throw refuse(`the signed ${name} is not the request's`);
    }
  }
  const destination = header(callback, 'FSPIOP-Destination');
  if (config.MOJALOOP_FSP_ID && destination && destination !== config.MOJALOOP_FSP_ID) {
    throw refuse(`the message is addressed to ${destination}`);
  }
}
