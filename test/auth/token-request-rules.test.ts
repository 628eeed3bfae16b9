import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import {
  ASSERTION_TYPE,
  assertion,
  assertionForm,
  assertOAuthError,
  basicAuth,
  registerKeyClient,
  requestToken,
  type TokenResponse,
} from './auth-fixtures.ts';

const kinga = await buildTestApp(t);
const patientReader = await registerKeyClient(kinga, { scopes: 'system/Patient.rs' });

async function grantedScope(scope: string): Promise<TokenResponse> {
  return requestToken(kinga, assertionForm(await assertion(kinga, patientReader), scope));
}

t.test('A21: the password grant, and every grant but client_credentials, is unsupported', async (t) => {
  for (const grant_type of [
    'password',
    'authorization_code',
    'refresh_token',
    'implicit',
    'CLIENT_CREDENTIALS',
  ]) {
    const res = await requestToken(kinga, {
      ...assertionForm(await assertion(kinga, patientReader)),
      grant_type,
      username: 'admin',
      password: 'admin',
    });
    assertOAuthError(t, res, 400, 'unsupported_grant_type');
  }
});

t.test('A20: no refresh token is ever issued, and a refresh_token grant is unsupported', async (t) => {
  const res = await grantedScope('system/Patient.rs');
  t.equal(res.status, 200);
  t.notOk('refresh_token' in res.body);
  const refresh = await requestToken(kinga, {
    grant_type: 'refresh_token',
    refresh_token: res.body.access_token,
  });
  assertOAuthError(t, refresh, 400, 'unsupported_grant_type');
});

t.test('a request without grant_type or scope is invalid_request', async (t) => {
  const { grant_type: _grant, ...withoutGrant } = assertionForm(await assertion(kinga, patientReader));
  assertOAuthError(t, await requestToken(kinga, withoutGrant), 400, 'invalid_request');
  const { scope: _scope, ...withoutScope } = assertionForm(await assertion(kinga, patientReader));
  assertOAuthError(t, await requestToken(kinga, withoutScope), 400, 'invalid_request');
});

t.test(
  'a wrong client_assertion_type is invalid_request; no client authentication is invalid_client',
  async (t) => {
    const form = assertionForm(await assertion(kinga, patientReader));
    const wrongType = {
      ...form,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
    };
    assertOAuthError(t, await requestToken(kinga, wrongType), 400, 'invalid_request');
    const { client_assertion: _a, client_assertion_type: _b, ...bare } = form;
    assertOAuthError(t, await requestToken(kinga, bare), 401, 'invalid_client');
    const emptyAssertion = { ...form, client_assertion: '', client_assertion_type: ASSERTION_TYPE };
    assertOAuthError(t, await requestToken(kinga, emptyAssertion), 400, 'invalid_request');
  },
);

t.test('two client authentication methods at once are invalid_request', async (t) => {
  const res = await requestToken(kinga, assertionForm(await assertion(kinga, patientReader)), {
    authorization: basicAuth(patientReader.clientId, 'whatever'),
  });
  assertOAuthError(t, res, 400, 'invalid_request');
});

t.test('JSON bodies and repeated parameters are invalid_request, never a 500', async (t) => {
  const json = await kinga.app.inject({
    method: 'POST',
    url: '/auth/token',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(assertionForm(await assertion(kinga, patientReader))),
  });
  t.equal(json.statusCode, 400);
  t.equal(json.json().error, 'invalid_request');

  const form = new URLSearchParams(assertionForm(await assertion(kinga, patientReader)));
  form.append('scope', 'system/*.cruds');
  const repeated = await kinga.app.inject({
    method: 'POST',
    url: '/auth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form.toString(),
  });
  t.equal(repeated.statusCode, 400);
  t.equal(repeated.json().error, 'invalid_request');

  const empty = await kinga.app.inject({ method: 'POST', url: '/auth/token' });
  t.equal(empty.statusCode, 400);
  t.equal(empty.json().error, 'invalid_request');
});

t.test('A14: asking for more than pre-authorised grants only what is pre-authorised', async (t) => {
  const res = await grantedScope('system/*.cruds');
  t.equal(res.status, 200);
  t.equal(res.body.scope, 'system/Patient.rs', 'narrowed to the registration');
  const create = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    headers: { authorization: `Bearer ${res.body.access_token}` },
    body: {
      resourceType: 'Patient',
      identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: unique('E') }],
      name: [{ family: 'Banda', given: ['Chikondi'] }],
    },
  });
  t.equal(create.status, 403, 'the narrowed token cannot create');
  t.equal(validFhir(t, create).issue[0].code, 'forbidden');

  const wider = await grantedScope('system/Patient.cruds system/Organization.rs');
  t.equal(wider.body.scope, 'system/Patient.rs');
});

t.test('A14: asking only for what the client may not have is invalid_scope', async (t) => {
  assertOAuthError(t, await grantedScope('system/Organization.rs'), 400, 'invalid_scope');
  assertOAuthError(t, await grantedScope('system/Patient.cud'), 400, 'invalid_scope');
  assertOAuthError(t, await grantedScope('patient/Patient.rs user/*.cruds openid'), 400, 'invalid_scope');
});

t.test('A15: out-of-order suffixes are ignored; v1 .read means .rs', async (t) => {
  assertOAuthError(t, await grantedScope('system/Patient.dus'), 400, 'invalid_scope');
  assertOAuthError(t, await grantedScope('system/Patient.sr'), 400, 'invalid_scope');
  const mixed = await grantedScope('system/Patient.dus system/Patient.r');
  t.equal(mixed.status, 200);
  t.equal(mixed.body.scope, 'system/Patient.r');
  const v1 = await grantedScope('system/Patient.read');
  t.equal(v1.status, 200);
  t.equal(v1.body.scope, 'system/Patient.rs');
});

t.test('a wildcard request narrows to the types the client may use', async (t) => {
  const res = await grantedScope('system/*.rs');
  t.equal(res.status, 200);
  t.equal(res.body.scope, 'system/Patient.rs');
});
