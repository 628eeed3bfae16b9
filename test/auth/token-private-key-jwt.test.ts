import { decodeJwt, decodeProtectedHeader } from 'jose';
import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import {
  assertion,
  assertionForm,
  jwksServer,
  registerFacility,
  registerKeyClient,
  requestToken,
} from './auth-fixtures.ts';

const kinga = await buildTestApp(t);

async function createPatient(token: string): Promise<{ status: number; body: any }> {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    headers: { authorization: `Bearer ${token}` },
    body: {
      resourceType: 'Patient',
      identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: unique('K') }],
      name: [{ family: 'Mensah', given: ['Ama'] }],
      gender: 'female',
      birthDate: '1985-06-01',
    },
  });
  validFhir(t, res);
  return res;
}

for (const alg of ['ES384', 'RS384'] as const) {
  t.test(
    `an ${alg}-signed assertion obtains a short-lived bearer token that opens the FHIR API`,
    async (t) => {
      const client = await registerKeyClient(kinga, { alg, scopes: 'system/Patient.crs' });
      const res = await requestToken(
        kinga,
        assertionForm(await assertion(kinga, client), 'system/Patient.crs'),
      );
      t.equal(res.status, 200);
      t.equal(res.body.token_type, 'bearer');
      t.equal(res.body.scope, 'system/Patient.crs');
      t.equal(res.body.expires_in, 300);
      t.notOk('refresh_token' in res.body, 'no refresh token');
      t.equal(res.headers['cache-control'], 'no-store');
      t.equal(res.headers['pragma'], 'no-cache');
      const claims = decodeJwt(res.body.access_token);
      t.equal(decodeProtectedHeader(res.body.access_token).typ, 'at+jwt');
      t.equal(claims.sub, client.clientId);
      t.equal(claims.aud, 'http://kinga.test/fhir/R4');
      t.equal(claims.iss, 'http://kinga.test');
      t.ok(claims.exp! - claims.iat! <= 300, 'lives at most 300 s');
      t.notOk(claims['facility'], 'no facility for an unbound client');

      const created = await createPatient(res.body.access_token);
      t.equal(created.status, 201, 'the token creates a Patient');
      t.equal(created.body.resourceType, 'Patient');
    },
  );
}

t.test('a client registered by JWKS URL is verified with the keys served there', async (t) => {
  const jwks = await jwksServer(t);
  const client = await registerKeyClient(kinga, { alg: 'RS384', jwksUrl: jwks.url });
  jwks.publish([client.publicJwk]);
  // The key served by URL is the one generated for this client (registration kept only the URL).
  const res = await requestToken(kinga, assertionForm(await assertion(kinga, client), 'system/Patient.rs'));
  t.equal(res.status, 200);
  t.equal(res.body.scope, 'system/Patient.rs');
  t.equal(jwks.requests(), 1, 'the JWKS was fetched once');

  const again = await requestToken(kinga, assertionForm(await assertion(kinga, client), 'system/Patient.rs'));
  t.equal(again.status, 200);
  t.equal(jwks.requests(), 1, 'and then served from the cache');
});

t.test('a facility-bound client gets its facility in the token', async (t) => {
  const facilityId = await registerFacility(kinga);
  const client = await registerKeyClient(kinga, { scopes: 'system/Patient.rs', facilityId });
  const res = await requestToken(kinga, assertionForm(await assertion(kinga, client), 'system/Patient.rs'));
  t.equal(res.status, 200);
  t.equal(decodeJwt(res.body.access_token)['facility'], facilityId);
  const principal = await kinga.app.kinga.auth.tokens.verify(res.body.access_token);
  t.equal(principal.facilityId, facilityId);
  t.equal(principal.clientId, client.clientId);
});

t.test('client_id in the form is accepted when it names the asserting client', async (t) => {
  const client = await registerKeyClient(kinga);
  const form = {
    ...assertionForm(await assertion(kinga, client), 'system/Patient.r'),
    client_id: client.clientId,
  };
  const res = await requestToken(kinga, form);
  t.equal(res.status, 200);
  t.equal(res.body.scope, 'system/Patient.r');
});
