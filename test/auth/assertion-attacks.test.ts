import { exportJWK, exportSPKI, importJWK, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { buildTestApp } from '../helpers/test-app.ts';
import {
  assertion,
  assertionForm,
  assertOAuthError,
  jwksServer,
  keyPair,
  loopbackServer,
  registerKeyClient,
  requestToken,
  tokenUrl,
} from './auth-fixtures.ts';

/** Forged or faulty client assertions (reliability-security.md §1.7): each answers invalid_client. */
const kinga = await buildTestApp(t);
const es = await registerKeyClient(kinga, { alg: 'ES384' });
const rsa = await registerKeyClient(kinga, { alg: 'RS384' });
const now = () => Math.floor(Date.now() / 1000);

async function refused(t: Test, clientAssertion: string): Promise<void> {
  assertOAuthError(t, await requestToken(kinga, assertionForm(clientAssertion)), 401, 'invalid_client');
}

t.test('a control assertion from the same clients succeeds', async (t) => {
  for (const client of [es, rsa]) {
    const res = await requestToken(kinga, assertionForm(await assertion(kinga, client)));
    t.equal(res.status, 200);
    t.type(res.body.access_token, 'string');
  }
});

t.test('A1: an unsigned assertion (alg none) is refused', async (t) => {
  const unsigned = new UnsecuredJWT({
    iss: es.clientId,
    sub: es.clientId,
    aud: tokenUrl(kinga),
    jti: randomUUID(),
  })
    .setExpirationTime('2m')
    .encode();
  await refused(t, unsigned);
});

t.test("A2: an HMAC assertion keyed with the client's public RSA key is refused", async (t) => {
  const pem = await exportSPKI((await importJWK(rsa.publicJwk, 'RS384')) as CryptoKey);
  for (const secret of [pem, JSON.stringify(rsa.publicJwk)]) {
    const forged = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'HS384', kid: rsa.kid, typ: 'JWT' })
      .setIssuer(rsa.clientId)
      .setSubject(rsa.clientId)
      .setAudience(tokenUrl(kinga))
      .setExpirationTime('2m')
      .sign(new TextEncoder().encode(secret));
    await refused(t, forged);
  }
});

t.test('A3: algorithms other than RS384 and ES384 are refused even with the registered key', async (t) => {
  const privateJwk = await exportJWK(rsa.privateKey);
  for (const alg of ['RS256', 'RS512', 'PS384']) {
    const key = (await importJWK(privateJwk, alg)) as CryptoKey;
    await refused(t, await assertion(kinga, rsa, { header: { alg }, key }));
  }
});

t.test('A4: an unknown kid, or one carrying a path or SQL payload, is refused without a 500', async (t) => {
  for (const kid of ['unknown', '../../etc/passwd', "' OR 1=1 --", 'x'.repeat(2000)]) {
    await refused(t, await assertion(kinga, es, { header: { kid } }));
  }
  await refused(t, await assertion(kinga, es, { header: { kid: undefined } }));
});

t.test('A4: unknown kids do not make Kinga refetch a JWKS URL more than the cooldown allows', async (t) => {
  const jwks = await jwksServer(t);
  const client = await registerKeyClient(kinga, { jwksUrl: jwks.url });
  jwks.publish([client.publicJwk]);
  t.equal((await requestToken(kinga, assertionForm(await assertion(kinga, client)))).status, 200);
  for (let i = 0; i < 10; i++) {
    await refused(t, await assertion(kinga, client, { header: { kid: `unknown-${i}` } }));
  }
  t.ok(jwks.requests() <= 2, `fetched ${jwks.requests()} times for 11 assertions`);
});

t.test('A5: jku, x5u and jwk headers are never fetched nor trusted', async (t) => {
  const attacker = await keyPair('ES384');
  const server = await loopbackServer(t, (_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [attacker.publicJwk] }));
  });
  const forge = (header: Record<string, unknown>) =>
    assertion(kinga, es, { header: { kid: attacker.kid, ...header }, key: attacker.privateKey });
  await refused(t, await forge({ jku: `${server.url}/jwks` }));
  await refused(t, await forge({ x5u: `${server.url}/cert.pem` }));
  await refused(t, await forge({ jwk: attacker.publicJwk }));
  // Even the client's own valid signature does not pass with a jku other than its registration.
  await refused(t, await assertion(kinga, es, { header: { jku: `${server.url}/jwks` } }));
  t.equal(server.requests(), 0, 'the attacker server was never contacted');
});

t.test('A6: a wrong audience is refused', async (t) => {
  for (const aud of [
    'https://other-deployment.example/auth/token',
    'http://kinga.test/fhir/R4',
    ['https://other.example/auth/token'],
  ]) {
    const res = await requestToken(kinga, assertionForm(await assertion(kinga, es, { claims: { aud } })));
    assertOAuthError(t, res, 401, 'invalid_client');
    t.match(res.body.error_description, /aud/);
  }
  await refused(t, await assertion(kinga, es, { claims: { aud: undefined } }));
});

t.test('A7: a wrong or missing issuer is refused', async (t) => {
  await refused(t, await assertion(kinga, es, { claims: { iss: rsa.clientId } }));
  await refused(t, await assertion(kinga, es, { claims: { iss: 'unknown-client' } }));
  await refused(t, await assertion(kinga, es, { claims: { iss: undefined } }));
});

t.test('A8: expired, not-yet-valid, future-issued or exp-less assertions are refused', async (t) => {
  const expired = await requestToken(
    kinga,
    assertionForm(await assertion(kinga, es, { claims: { exp: now() - 31, iat: now() - 120 } })),
  );
  assertOAuthError(t, expired, 401, 'invalid_client');
  t.match(expired.body.error_description, /expired/);
  await refused(t, await assertion(kinga, es, { claims: { nbf: now() + 120 } }));
  await refused(t, await assertion(kinga, es, { claims: { iat: now() + 3600 } }));
  await refused(t, await assertion(kinga, es, { claims: { exp: undefined } }));
  await refused(t, await assertion(kinga, es, { claims: { exp: 'tomorrow' } }));
});

t.test('A9: an assertion is used once; its replay is refused', async (t) => {
  const once = await assertion(kinga, es);
  t.equal((await requestToken(kinga, assertionForm(once))).status, 200);
  const replay = await requestToken(kinga, assertionForm(once));
  assertOAuthError(t, replay, 401, 'invalid_client');
  t.match(replay.body.error_description, /jti/);
  const jti = randomUUID();
  t.equal(
    (await requestToken(kinga, assertionForm(await assertion(kinga, es, { claims: { jti } })))).status,
    200,
  );
  await refused(t, await assertion(kinga, es, { claims: { jti } }));
  await refused(t, await assertion(kinga, es, { claims: { jti: undefined } }));
  // The same jti from another client is that client's own and is accepted.
  t.equal(
    (await requestToken(kinga, assertionForm(await assertion(kinga, rsa, { claims: { jti } })))).status,
    200,
  );
});

t.test('A10: an assertion living more than five minutes is refused', async (t) => {
  const res = await requestToken(
    kinga,
    assertionForm(await assertion(kinga, es, { claims: { exp: now() + 600 } })),
  );
  assertOAuthError(t, res, 401, 'invalid_client');
  t.match(res.body.error_description, /five minutes/);
});

t.test('A11: iss differing from sub, or a client_id naming another client, is refused', async (t) => {
  await refused(t, await assertion(kinga, es, { claims: { sub: rsa.clientId } }));
  await refused(t, await assertion(kinga, es, { claims: { sub: undefined } }));
  const form = { ...assertionForm(await assertion(kinga, es)), client_id: rsa.clientId };
  assertOAuthError(t, await requestToken(kinga, form), 401, 'invalid_client');
});

t.test("A12: a key outside the client's JWKS, or another client's key, is refused", async (t) => {
  const stranger = await keyPair('ES384');
  await refused(t, await assertion(kinga, es, { key: stranger.privateKey, header: { kid: stranger.kid } }));
  await refused(t, await assertion(kinga, es, { key: stranger.privateKey }));
  const other = await registerKeyClient(kinga, { alg: 'ES384' });
  // Signed with the other client's key, under its kid, claiming to be `es`.
  await refused(t, await assertion(kinga, es, { key: other.privateKey, header: { kid: other.kid } }));
});

t.test('A13: an access token is not a client assertion', async (t) => {
  const token = (await requestToken(kinga, assertionForm(await assertion(kinga, es)))).body.access_token;
  await refused(t, token);
  await refused(t, await assertion(kinga, es, { header: { typ: 'at+jwt' } }));
});

t.test('garbage assertions are refused without a 500', async (t) => {
  for (const garbage of ['x', 'a.b.c', 'a.b.c.d.e', '....', 'x'.repeat(20_000), 'é.ü.ö']) {
    await refused(t, garbage);
  }
});
