import { decodeProtectedHeader, type JWK } from 'jose';
import t from 'tap';
import { SigningKeyRecord } from '../../src/platform/auth/auth.entities.ts';
import { loadSigningKeys, retireSigningKey } from '../../src/platform/auth/signing-key-store.ts';
import { generateSigningJwk, signingKeyFromJwk } from '../../src/platform/auth/signing-keys.ts';
import { buildTestApp, TEST_SIGNING_KEY, validFhir, type TestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const configuredKid = (await signingKeyFromJwk(JSON.parse(TEST_SIGNING_KEY) as JWK)).kid;

async function jwks(app: TestApp): Promise<{ keys: JWK[] }> {
  const res = await app.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  t.equal(res.statusCode, 200);
  return res.json<{ keys: JWK[] }>();
}

async function searchWith(app: TestApp, token: string): Promise<number> {
  const res = await app.fhir({
    method: 'GET',
    url: '/fhir/R4/Patient?_count=1',
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status === 200) {
    validFhir(t, res);
  }
  return res.status;
}

t.test('the JWKS publishes the signing key, public members only', async (t) => {
  const res = await kinga.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['cache-control'], /max-age=300/);
  const { keys } = res.json<{ keys: JWK[] }>();
  const key = keys.find((k) => k.kid === configuredKid);
  t.ok(key, 'the configured key is published');
  t.match(key, { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  t.ok(
    keys.every((k) => k.d === undefined),
    'no private members',
  );
  const token = await kinga.token();
  t.equal(decodeProtectedHeader(token).kid, configuredKid, 'tokens name the key that signed them');
});

t.test('SIGNING_KEY is recorded without its private half', async (t) => {
  const record = await kinga.database.orm.em.fork().findOneOrFail(SigningKeyRecord, { kid: configuredKid });
  t.equal(record.alg, 'ES256');
  t.equal(record.retiredAt ?? null, null);
  t.notOk('d' in record.privateJwk, 'the database never holds the configured private key');
});

t.test('without SIGNING_KEY a key is generated once and kept: a restart keeps tokens valid', async (t) => {
  const first = await buildTestApp(t, { SIGNING_KEY: '' });
  const generatedKid = first.app.kinga.auth.tokens.signingKey.kid;
  t.not(generatedKid, configuredKid, 'a generated key, not the configured one');
  const token = (await first.app.kinga.auth.tokens.issue({ clientId: 'restart', scope: 'system/*.rs' }))
    .access_token;
  t.equal(await searchWith(first, token), 200);

  const restarted = await buildTestApp(t, { SIGNING_KEY: '' });
  t.equal(restarted.app.kinga.auth.tokens.signingKey.kid, generatedKid, 'the stored key signs again');
  t.equal(await searchWith(restarted, token), 200, 'a token from before the restart is still valid');
  const kids = (await jwks(restarted)).keys.map((k) => k.kid);
  t.ok(kids.includes(generatedKid));
  t.ok(kids.includes(configuredKid), 'every unretired key is published');

  await retireSigningKey(kinga.database.orm, generatedKid);
  const afterRetirement = await buildTestApp(t, { SIGNING_KEY: '' });
  t.not(
    afterRetirement.app.kinga.auth.tokens.signingKey.kid,
    generatedKid,
    'a new key replaces the retired one',
  );
  t.equal(await searchWith(afterRetirement, token), 401, "the retired key's tokens are refused");
  t.notOk(
    (await jwks(afterRetirement)).keys.some((k) => k.kid === generatedKid),
    'and it is unpublished',
  );
});

t.test('a rotated SIGNING_KEY leaves the previous key verifying until it is retired', async (t) => {
  const previous = await buildTestApp(t, { SIGNING_KEY: JSON.stringify(await generateSigningJwk()) });
  const token = await previous.token('system/*.rs', 'rotation');
  const rotated = await buildTestApp(t, { SIGNING_KEY: JSON.stringify(await generateSigningJwk()) });
  t.equal(await searchWith(rotated, token), 200, 'the previous key still verifies');

  await retireSigningKey(kinga.database.orm, previous.app.kinga.auth.tokens.signingKey.kid);
  await t.rejects(
    loadSigningKeys(previous.config, kinga.database.orm),
    /retired/,
    'a retired SIGNING_KEY is refused at start',
  );
  await t.rejects(retireSigningKey(kinga.database.orm, 'no-such-kid'), {
    code: 'auth.signing-key-not-found',
  });
});
