import { exportSPKI, importJWK, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { signingKeyFromJwk } from '../../src/platform/auth/signing-keys.ts';
import { buildTestApp, TEST_SIGNING_KEY, unique, validFhir, type FhirResponse } from '../helpers/test-app.ts';
import { assertion, keyPair, loopbackServer, registerKeyClient } from './auth-fixtures.ts';

/** The resource server side: what a bearer token must be to open a FHIR route, and what it then allows. */
const kinga = await buildTestApp(t);
const kingaKey = await signingKeyFromJwk(JSON.parse(TEST_SIGNING_KEY) as JWK);
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with Kinga's real key, with any claim or header replaced (undefined removes it). */
async function forgeWithKingaKey(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: 'http://kinga.test',
    aud: 'http://kinga.test/fhir/R4',
    sub: 'forger',
    client_id: 'forger',
    scope: 'system/*.cruds',
    iat: now(),
    exp: now() + 120,
    jti: randomUUID(),
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined) {
      delete payload[name];
    }
  }
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: kingaKey.kid, typ: 'at+jwt', ...header })
    .sign(kingaKey.privateKey);
}

function search(authorization: string | undefined, url = '/fhir/R4/Patient?_count=1'): Promise<FhirResponse> {
  return kinga.fhir({
    method: 'GET',
    url,
    ...(authorization ? { headers: { authorization } } : { anonymous: true }),
  });
}

function assertUnauthorized(t: Test, res: FhirResponse, label: string): void {
  t.equal(res.status, 401, `${label}: 401`);
  const outcome = validFhir(t, res, label);
  t.equal(outcome.resourceType, 'OperationOutcome');
  t.equal(outcome.issue[0].code, 'login');
  t.match(res.headers['www-authenticate'], /^Bearer/);
  t.notOk(outcome.entry, 'no data');
}

function patient(): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: unique('S') }],
    name: [{ family: 'Phiri', given: ['Mphatso'] }],
    gender: 'male',
    birthDate: '1979-11-02',
  };
}

t.test(
  'a token forged with the right claims and key is accepted (control for the cases below)',
  async (t) => {
    const res = await search(`Bearer ${await forgeWithKingaKey()}`);
    t.equal(res.status, 200);
    t.equal(validFhir(t, res).type, 'searchset');
  },
);

t.test('no token is 401 with an OperationOutcome and a Bearer challenge', async (t) => {
  assertUnauthorized(t, await search(undefined), 'no token');
});

t.test('A1–A3: unsigned, HMAC-confused and other-algorithm tokens are 401', async (t) => {
  const claims = {
    iss: 'http://kinga.test',
    aud: 'http://kinga.test/fhir/R4',
    sub: 'x',
    scope: 'system/*.cruds',
  };
  const unsigned = new UnsecuredJWT(claims).setIssuedAt().setExpirationTime('2m').encode();
  assertUnauthorized(t, await search(`Bearer ${unsigned}`), 'alg none');

  const pem = await exportSPKI((await importJWK(kingaKey.publicJwk, 'ES256')) as CryptoKey);
  for (const secret of [pem, JSON.stringify(kingaKey.publicJwk), kingaKey.publicJwk.x!]) {
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: kingaKey.kid, typ: 'at+jwt' })
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(new TextEncoder().encode(secret));
    assertUnauthorized(t, await search(`Bearer ${hmac}`), 'HS256 with the public key');
  }

  for (const alg of ['ES384', 'RS256', 'PS256']) {
    const other = await keyPair(alg);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg, kid: kingaKey.kid, typ: 'at+jwt' })
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(other.privateKey);
    assertUnauthorized(t, await search(`Bearer ${token}`), `${alg} under Kinga's kid`);
  }
});

t.test('A4–A5: unknown or hostile kids and jku/jwk headers are 401 and fetch nothing', async (t) => {
  for (const kid of ['unknown', '../../etc/passwd', "' OR 1=1 --"]) {
    assertUnauthorized(t, await search(`Bearer ${await forgeWithKingaKey({}, { kid })}`), `kid ${kid}`);
  }
  const attacker = await keyPair('ES256');
  const server = await loopbackServer(t, (_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [attacker.publicJwk] }));
  });
  for (const header of [
    { jku: `${server.url}/jwks` },
    { x5u: `${server.url}/x5u` },
    { jwk: attacker.publicJwk },
  ]) {
    const token = await new SignJWT({ scope: 'system/*.cruds', sub: 'attacker' })
      .setProtectedHeader({ alg: 'ES256', kid: attacker.kid, typ: 'at+jwt', ...header })
      .setIssuer('http://kinga.test')
      .setAudience('http://kinga.test/fhir/R4')
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(attacker.privateKey);
    assertUnauthorized(t, await search(`Bearer ${token}`), `header ${Object.keys(header)[0]}`);
  }
  t.equal(server.requests(), 0, 'no outbound fetch');
});

t.test(
  'A6–A8: wrong audience, wrong issuer, expired, not-yet-valid or exp-less tokens are 401',
  async (t) => {
    const cases: [string, Record<string, unknown>][] = [
      ['audience of another deployment', { aud: 'https://other.example/fhir/R4' }],
      ['audience of the token endpoint', { aud: 'http://kinga.test/auth/token' }],
      ['audience list without Kinga', { aud: ['https://other.example/fhir/R4'] }],
      ['no audience', { aud: undefined }],
      ['another issuer', { iss: 'https://evil.example' }],
      ['no issuer', { iss: undefined }],
      ['expired', { exp: now() - 31, iat: now() - 400 }],
      ['not yet valid', { nbf: now() + 600 }],
      ['no exp', { exp: undefined }],
      ['no scope claim', { scope: undefined }],
    ];
    for (const [label, claims] of cases) {
      assertUnauthorized(t, await search(`Bearer ${await forgeWithKingaKey(claims)}`), label);
    }
  },
);

t.test('A13: a client assertion or any JWT not typed at+jwt is not an access token', async (t) => {
  const client = await registerKeyClient(kinga);
  assertUnauthorized(t, await search(`Bearer ${await assertion(kinga, client)}`), 'client assertion');
  assertUnauthorized(t, await search(`Bearer ${await forgeWithKingaKey({}, { typ: 'JWT' })}`), 'typ JWT');
  assertUnauthorized(t, await search(`Bearer ${await forgeWithKingaKey({}, { typ: undefined })}`), 'no typ');
});

t.test('A18: a token in the query string is not accepted', async (t) => {
  const token = await kinga.token();
  const res = await search(undefined, `/fhir/R4/Patient?_count=1&access_token=${token}`);
  assertUnauthorized(t, res, 'access_token query parameter');
});

t.test('A19: oversized or garbage Authorization headers are 401, quickly, without a crash', async (t) => {
  const token = await kinga.token();
  const headers = [
    `Bearer ${'a'.repeat(100_000)}`,
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    `Bearer ${token} ${token}`,
    `Bearer ${token.split('.').slice(0, 2).join('.')}`,
    `Bearer ${token}.${token.split('.')[2]}`,
    'Bearer a.b.c',
    'Bearer %%%.***.!!!',
    token,
  ];
  for (const authorization of headers) {
    const started = Date.now();
    assertUnauthorized(t, await search(authorization), authorization.slice(0, 20));
    t.ok(Date.now() - started < 1000, 'answered quickly');
  }
});

t.test('read without search scope cannot search; search-and-read cannot create', async (t) => {
  const reader = await kinga.token('system/Patient.r');
  const searched = await search(`Bearer ${reader}`);
  t.equal(searched.status, 403);
  t.equal(validFhir(t, searched).issue[0].code, 'forbidden');
  t.match(searched.body.issue[0].diagnostics, /search-type on Patient/);

  const created = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient() });
  t.equal(created.status, 201, 'system/*.cruds creates');
  const id = validFhir(t, created).id;
  const read = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient/${id}`,
    headers: { authorization: `Bearer ${reader}` },
  });
  t.equal(read.status, 200, 'system/Patient.r reads');
  t.equal(validFhir(t, read).id, id);

  const rs = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: patient(),
    scopes: 'system/Patient.rs',
  });
  t.equal(rs.status, 403);
  t.equal(validFhir(t, rs).issue[0].code, 'forbidden');
  const del = await kinga.fhir({
    method: 'DELETE',
    url: `/fhir/R4/Patient/${id}`,
    scopes: 'system/Patient.rs',
  });
  t.equal(del.status, 403);
  validFhir(t, del);
});

t.test('v1 system/Patient.read allows read and search but not writes', async (t) => {
  const created = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient() });
  t.equal(created.status, 201);
  const id = validFhir(t, created).id;
  const read = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient/${id}`,
    scopes: 'system/Patient.read',
  });
  t.equal(read.status, 200);
  t.equal(validFhir(t, read).id, id);
  const searched = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient?_id=${id}`,
    scopes: 'system/Patient.read',
  });
  t.equal(searched.status, 200);
  t.equal(validFhir(t, searched).entry?.length, 1);
  const write = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: patient(),
    scopes: 'system/Patient.read',
  });
  t.equal(write.status, 403);
  validFhir(t, write);
});

t.test('system/*.cruds allows every interaction', async (t) => {
  const created = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient() });
  t.equal(created.status, 201);
  const body = validFhir(t, created);
  const updated = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Patient/${body.id}`,
    body: { ...body, gender: 'other' },
  });
  t.equal(updated.status, 200);
  t.equal(validFhir(t, updated).gender, 'other');
  const history = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${body.id}/_history` });
  t.equal(history.status, 200);
  t.equal(validFhir(t, history).total ?? history.body.entry.length, 2);
  const deleted = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Patient/${body.id}` });
  t.equal(deleted.status, 204);
});

t.test('metadata, StructureDefinitions and smart-configuration need no token', async (t) => {
  const metadata = await kinga.fhir({ method: 'GET', url: '/fhir/R4/metadata', anonymous: true });
  t.equal(metadata.status, 200);
  t.equal(validFhir(t, metadata).resourceType, 'CapabilityStatement');
  const profile = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/StructureDefinition/kinga-patient',
    anonymous: true,
  });
  t.equal(profile.status, 200);
  t.equal(validFhir(t, profile).resourceType, 'StructureDefinition');
  const smart = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/.well-known/smart-configuration',
    anonymous: true,
  });
  t.equal(smart.status, 200);
  t.equal(smart.body.token_endpoint, 'http://kinga.test/auth/token');
  t.same(smart.body.token_endpoint_auth_signing_alg_values_supported, ['RS384', 'ES384']);
});

t.test('a transaction with one entry outside the token scope is 403 and stores nothing', async (t) => {
  const number = unique('T');
  const created = {
    ...patient(),
    identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
  };
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: `urn:uuid:${randomUUID()}`, resource: created, request: { method: 'POST', url: 'Patient' } },
      { request: { method: 'GET', url: `Patient?identifier=${number}` } },
    ],
  };
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4', body: bundle, scopes: 'system/Patient.c' });
  t.equal(res.status, 403);
  t.equal(validFhir(t, res).issue[0].code, 'forbidden');

  const found = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient?identifier=${kinga.config.INSURANCE_NUMBER_SYSTEM}|${number}`,
  });
  t.equal(found.status, 200);
  t.equal(validFhir(t, found).entry?.length ?? 0, 0, 'the created Patient was rolled back');

  const allowed = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: bundle,
    scopes: 'system/Patient.cs',
  });
  t.equal(allowed.status, 200, 'the same transaction passes with the search scope');
  t.equal(validFhir(t, allowed).type, 'transaction-response');
});
