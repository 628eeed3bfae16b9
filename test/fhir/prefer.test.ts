import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const body = () => ({
  resourceType: 'Patient',
  identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: unique('PR') }],
  name: [{ family: 'Prefer', given: ['Header'] }],
});

t.test('Prefer: return=minimal answers headers only', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: body(),
    headers: { prefer: 'return=minimal' },
  });
  t.equal(res.status, 201);
  t.equal(res.raw.body, '');
  t.match(res.headers['location'], /\/fhir\/R4\/Patient\/.+\/_history\/1$/);
  t.equal(res.headers['etag'], 'W/"1"');
});

t.test('Prefer: return=OperationOutcome answers an outcome instead of the resource', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: body(),
    headers: { prefer: 'return=OperationOutcome' },
  });
  t.equal(res.status, 201);
  const outcome = validFhir(t, res);
  t.equal(outcome.resourceType, 'OperationOutcome');
  t.equal(outcome.issue[0].severity, 'information');
});

t.test('Prefer: return=representation (the default) answers the resource', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: body(),
    headers: { prefer: 'return=representation' },
  });
  t.equal(res.status, 201);
  t.equal(validFhir(t, res).resourceType, 'Patient');
});

t.test('a caller-supplied X-Request-Id is echoed; otherwise one is made', async (t) => {
  const given = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/metadata',
    headers: { 'x-request-id': 'emr-42.abc' },
  });
  t.equal(given.headers['x-request-id'], 'emr-42.abc');
  const made = await kinga.fhir({ method: 'GET', url: '/fhir/R4/metadata' });
  t.match(made.headers['x-request-id'], /^[0-9a-f-]{36}$/);
});
