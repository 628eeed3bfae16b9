import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

function patient(number: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
    name: [{ family: 'Shrestha', given: ['Sita', 'Kumari'] }],
    gender: 'female',
    birthDate: '1990-03-24',
    ...extra,
  };
}

t.test('create answers 201 with Location, ETag and the stored representation', async (t) => {
  const number = unique('P');
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(number) });
  t.equal(res.status, 201);
  const body = validFhir(t, res);
  t.match(res.headers['content-type'], /application\/fhir\+json/);
  t.equal(res.headers['etag'], 'W/"1"');
  t.equal(res.headers['location'], `http://kinga.test/fhir/R4/Patient/${body.id}/_history/1`);
  t.equal(body.meta.versionId, '1');
  t.ok(body.meta.lastUpdated);
  t.equal(body.identifier[0].value, number);
  t.same(body.name[0].given, ['Sita', 'Kumari']);

  const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${body.id}` });
  t.equal(read.status, 200);
  t.same(validFhir(t, read), body, 'read returns what create returned');
});

t.test('update creates version 2; vread and history keep version 1', async (t) => {
  const created = (await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(unique('P')) }))
    .body;
  const changed = { ...created, name: [{ family: 'Shrestha', given: ['Gita'] }] };
  const updated = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Patient/${created.id}`,
    body: changed,
    headers: { 'if-match': 'W/"1"' },
  });
  t.equal(updated.status, 200);
  t.equal(validFhir(t, updated).meta.versionId, '2');
  t.same(updated.body.name[0].given, ['Gita']);

  const v1 = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${created.id}/_history/1` });
  t.equal(v1.status, 200);
  t.same(validFhir(t, v1).name[0].given, ['Sita', 'Kumari']);

  const stale = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Patient/${created.id}`,
    body: changed,
    headers: { 'if-match': 'W/"1"' },
  });
  t.equal(stale.status, 412, 'a stale If-Match is refused');
  t.equal(validFhir(t, stale).resourceType, 'OperationOutcome');

  const history = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${created.id}/_history` });
  t.equal(history.status, 200);
  const bundle = validFhir(t, history);
  t.equal(bundle.type, 'history');
  t.same(
    bundle.entry.map((e: any) => e.resource.meta.versionId),
    ['2', '1'],
  );
});

t.test('delete is soft: read answers 410, history keeps every version', async (t) => {
  const created = (await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(unique('P')) }))
    .body;
  const deleted = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Patient/${created.id}` });
  t.equal(deleted.status, 204);
  const gone = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${created.id}` });
  t.equal(gone.status, 410);
  validFhir(t, gone);
  const v1 = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${created.id}/_history/1` });
  t.equal(v1.status, 200);
  const history = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${created.id}/_history` }),
  );
  t.same(
    history.entry.map((e: any) => e.request.method),
    ['DELETE', 'POST'],
  );
});

t.test('an unknown id is 404 with an OperationOutcome', async (t) => {
  const res = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/Patient/0190c0de-0000-7000-8000-000000000000',
  });
  t.equal(res.status, 404);
  t.equal(validFhir(t, res).issue[0].code, 'not-found');
});
