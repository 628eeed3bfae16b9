import t from 'tap';
import { ApiClient } from '../../src/platform/auth/auth.entities.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import {
  assertion,
  assertionForm,
  assertOAuthError,
  basicAuth,
  registerKeyClient,
  requestToken,
} from './auth-fixtures.ts';

const kinga = await buildTestApp(t);
const clients = kinga.app.kinga.auth.clients;

function secretRequest(authorization: string, scope = 'system/Patient.rs') {
  return requestToken(kinga, { grant_type: 'client_credentials', scope }, { authorization });
}

t.test('client_secret_basic with the generated secret obtains a token', async (t) => {
  const { clientId, secret } = await clients.register({
    name: 'Payment gateway',
    scopes: 'system/Patient.rs',
  });
  t.type(secret, 'string');
  t.ok(secret!.length >= 43, 'a 256-bit secret');
  const res = await secretRequest(basicAuth(clientId, secret!));
  t.equal(res.status, 200);
  t.equal(res.body.token_type, 'bearer');
  t.equal(res.body.scope, 'system/Patient.rs');
  const search = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/Patient?_count=1',
    headers: { authorization: `Bearer ${res.body.access_token}` },
  });
  t.equal(search.status, 200);
  t.equal(validFhir(t, search).type, 'searchset');
});

t.test('only a scrypt hash of the secret is stored', async (t) => {
  const { clientId, secret } = await clients.register({ name: 'Hashed', scopes: 'system/Patient.r' });
  const stored = await kinga.database.orm.em.fork().findOneOrFail(ApiClient, { clientId });
  t.match(stored.secretHash, /^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
  t.notOk(stored.secretHash!.includes(secret!), 'the secret itself is not stored');
});

t.test(
  'a wrong secret, an unknown client or a malformed Basic header is invalid_client with a Basic challenge',
  async (t) => {
    const { clientId, secret } = await clients.register({
      name: 'Wrong secret',
      scopes: 'system/Patient.rs',
    });
    for (const authorization of [
      basicAuth(clientId, `${secret}x`),
      basicAuth(clientId, ''),
      basicAuth('no-such-client', secret!),
      'Basic !!!not-base64!!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${'A'.repeat(100_000)}`,
      'Bearer something',
      'Basic',
    ]) {
      const res = await secretRequest(authorization);
      assertOAuthError(t, res, 401, 'invalid_client');
      if (authorization.startsWith('Basic ')) {
        t.match(res.headers['www-authenticate'], /^Basic /);
      }
    }
  },
);

t.test('a key client cannot authenticate with a secret, nor a secret client with an assertion', async (t) => {
  const keyClient = await registerKeyClient(kinga);
  assertOAuthError(t, await secretRequest(basicAuth(keyClient.clientId, '')), 401, 'invalid_client');
  const { clientId } = await clients.register({ name: 'Secret only', scopes: 'system/Patient.rs' });
  const impostor = { ...keyClient, clientId };
  const res = await requestToken(kinga, assertionForm(await assertion(kinga, impostor)));
  assertOAuthError(t, res, 401, 'invalid_client');
});

t.test('the secret in the form body (client_secret_post) is not accepted', async (t) => {
  const { clientId, secret } = await clients.register({ name: 'Post', scopes: 'system/Patient.rs' });
  const res = await requestToken(kinga, {
    grant_type: 'client_credentials',
    scope: 'system/Patient.rs',
    client_id: clientId,
    client_secret: secret!,
  });
  assertOAuthError(t, res, 401, 'invalid_client');
});

t.test('a disabled client gets no token, whatever its credentials', async (t) => {
  const { clientId, secret } = await clients.register({ name: 'To disable', scopes: 'system/Patient.rs' });
  const keyClient = await registerKeyClient(kinga);
  t.equal((await secretRequest(basicAuth(clientId, secret!))).status, 200);
  await clients.disable(clientId);
  await clients.disable(keyClient.clientId);
  assertOAuthError(t, await secretRequest(basicAuth(clientId, secret!)), 401, 'invalid_client');
  const res = await requestToken(kinga, assertionForm(await assertion(kinga, keyClient)));
  assertOAuthError(t, res, 401, 'invalid_client');
  t.match(res.body.error_description, /disabled/);
});

t.test('the bootstrap client exists at start with full scope, and follows a changed secret', async (t) => {
  const clientId = `bootstrap-${unique().toLowerCase()}`;
  const first = 'first-secret-0123456789-0123456789-abcdef';
  const second = 'second-secret-0123456789-0123456789-abcdef';
  const started = await buildTestApp(t, {
    KINGA_BOOTSTRAP_CLIENT_ID: clientId,
    KINGA_BOOTSTRAP_CLIENT_SECRET: first,
  });
  const res = await requestToken(
    started,
    { grant_type: 'client_credentials', scope: 'system/*.cruds' },
    {
      authorization: basicAuth(clientId, first),
    },
  );
  t.equal(res.status, 200);
  t.equal(res.body.scope, 'system/*.cruds');

  const restarted = await buildTestApp(t, {
    KINGA_BOOTSTRAP_CLIENT_ID: clientId,
    KINGA_BOOTSTRAP_CLIENT_SECRET: second,
  });
  const old = await requestToken(
    restarted,
    { grant_type: 'client_credentials', scope: 'system/*.rs' },
    {
      authorization: basicAuth(clientId, first),
    },
  );
  assertOAuthError(t, old, 401, 'invalid_client');
  const renewed = await requestToken(
    restarted,
    { grant_type: 'client_credentials', scope: 'system/*.rs' },
    {
      authorization: basicAuth(clientId, second),
    },
  );
  t.equal(renewed.status, 200);
  t.equal(renewed.body.scope, 'system/*.rs');
  const stored = await kinga.database.orm.em.fork().find(ApiClient, { clientId });
  t.equal(stored.length, 1, 'one client, not a second one');
});

t.test(
  'registration refuses unknown scopes, private keys, plain-http JWKS URLs and non-facilities',
  async (t) => {
    await t.rejects(clients.register({ name: 'Bad scope', scopes: 'system/Patient.dus' }), {
      code: 'auth.client-registration-invalid',
    });
    await t.rejects(clients.register({ name: 'No scope', scopes: ' ' }), {
      code: 'auth.client-registration-invalid',
    });
    await t.rejects(
      clients.register({
        name: 'Private',
        scopes: 'system/Patient.rs',
        jwks: { keys: [{ kty: 'EC', kid: 'k', crv: 'P-384', x: 'a', y: 'b', d: 'c' }] },
      }),
      { code: 'auth.client-registration-invalid' },
    );
    await t.rejects(
      clients.register({ name: 'Http', scopes: 'system/Patient.rs', jwksUrl: 'http://emr.example/jwks' }),
      { code: 'auth.client-registration-invalid' },
    );
    await t.rejects(
      clients.register({ name: 'Facility', scopes: 'system/Patient.rs', facilityId: 'not-an-id' }),
      { code: 'auth.client-registration-invalid' },
    );
  },
);
