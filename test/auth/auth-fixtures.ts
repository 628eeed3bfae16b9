import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Test } from 'tap';
import { registerOrganisation } from '../../src/domain/organisation/register-organisation.ts';
import { inTransaction } from '../../src/platform/database/unit-of-work.ts';
import { unique, type TestApp } from '../helpers/test-app.ts';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A client registered with its own key pair, able to sign assertions. */
export interface KeyClient {
  clientId: string;
  kid: string;
  alg: 'ES384' | 'RS384';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function keyPair(alg: string): Promise<{ privateKey: CryptoKey; publicJwk: JWK; kid: string }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg }, kid };
}

/** Registers a private_key_jwt client with a fresh key (or a JWKS URL when given). */
export async function registerKeyClient(
  kinga: TestApp,
  options: { alg?: 'ES384' | 'RS384'; scopes?: string; jwksUrl?: string; facilityId?: string } = {},
): Promise<KeyClient> {
  const alg = options.alg ?? 'ES384';
  const { privateKey, publicJwk, kid } = await keyPair(alg);
  const { clientId } = await kinga.app.kinga.auth.clients.register({
    name: `Test EMR ${alg}`,
    scopes: options.scopes ?? 'system/*.cruds',
    ...(options.jwksUrl ? { jwksUrl: options.jwksUrl } : { jwks: { keys: [publicJwk] } }),
    ...(options.facilityId ? { facilityId: options.facilityId } : {}),
  });
  return { clientId, kid, alg, privateKey, publicJwk };
}

export function tokenUrl(kinga: TestApp): string {
  return `${kinga.config.PUBLIC_BASE_URL}/auth/token`;
}

/**
 * A client assertion as SMART specifies it, with any claim or header replaced: a claim set to
 * undefined is left out.
 */
export async function assertion(
  kinga: TestApp,
  client: KeyClient,
  options: { claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: CryptoKey } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: client.clientId,
    sub: client.clientId,
    aud: tokenUrl(kinga),
    exp: now + 240,
    iat: now,
    jti: randomUUID(),
    ...options.claims,
  };
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) {
      delete claims[name];
    }
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: client.alg, kid: client.kid, typ: 'JWT', ...options.header })
    .sign(options.key ?? client.privateKey);
}

export interface TokenResponse {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

/** POST /auth/token with form parameters. */
export async function requestToken(
  kinga: TestApp,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<TokenResponse> {
  const res = await kinga.app.inject({
    method: 'POST',
    url: '/auth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

/** The form of a private_key_jwt token request. */
export function assertionForm(clientAssertion: string, scope = 'system/*.cruds'): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    scope,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: clientAssertion,
  };
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

/** Checks an OAuth error answer: status, error code, a description, and no token. */
export function assertOAuthError(t: Test, res: TokenResponse, status: number, error: string): void {
  t.equal(res.status, status, `status ${status}`);
  t.equal(res.body.error, error, `error ${error}`);
  t.type(res.body.error_description, 'string');
  t.notOk(res.body.access_token, 'no token is issued');
}

/** A loopback HTTP server that counts the requests it receives; closed when the test ends. */
export async function loopbackServer(
  t: Test,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  const server = createServer((request, response) => {
    count += 1;
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests: () => count };
}

/** A client's JWKS URL on a loopback server: publish keys to it, count its fetches. */
export async function jwksServer(
  t: Test,
): Promise<{ url: string; requests: () => number; publish: (keys: JWK[]) => void }> {
  let keys: JWK[] = [];
  const server = await loopbackServer(t, (_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys }));
  });
  return {
    url: `${server.url}/jwks.json`,
    requests: server.requests,
    publish: (published) => {
      keys = published;
    },
  };
}

/** A health facility (Organisation) to bind clients to. */
export async function registerFacility(kinga: TestApp): Promise<string> {
  return inTransaction(kinga.database.orm.em.fork(), { actor: 'test' }, async (em) => {
    const facility = await registerOrganisation(em, {
      kind: 'health-facility',
      code: unique('HF'),
      name: 'Test Health Centre',
      level: 'C',
      careType: 'O',
      legalForm: 'G',
    });
    await em.flush();
    return facility.id;
  });
}
