import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const patient = (number: string) => ({
  resourceType: 'Patient',
  identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
  name: [{ family: 'Mwakilema', given: ['Neema'] }],
});

t.test('50 concurrent identical conditional creates make exactly one resource', async (t) => {
  const number = unique('C');
  const responses = await Promise.all(
    Array.from({ length: 50 }, () =>
      kinga.fhir({
        method: 'POST',
        url: '/fhir/R4/Patient',
        body: patient(number),
        headers: { 'if-none-exist': `identifier=${number}` },
      }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  t.equal(statuses.filter((s) => s === 201).length, 1, 'one 201 Created');
  t.equal(statuses.filter((s) => s === 200).length, 49, '49 × 200 with the existing resource');
  const ids = new Set(responses.map((r) => r.body.id));
  t.equal(ids.size, 1, 'all answers name the same resource');
  validFhir(t, responses[0]!);
  const found = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient?identifier=${number}` }),
  );
  t.equal(found.total, 1, 'one resource stored');
});

t.test('a condition matching two resources is 412', async (t) => {
  const family = unique('Two');
  for (const n of [unique('A'), unique('B')]) {
    const res = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/Patient',
      body: { ...patient(n), name: [{ family, given: ['X'] }] },
    });
    t.equal(res.status, 201);
  }
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: patient(unique('C')),
    headers: { 'if-none-exist': `family:exact=${family}` },
  });
  t.equal(res.status, 412);
  t.equal(validFhir(t, res).issue[0].code, 'conflict');
});

t.test('concurrent updates with the same If-Match: one wins, the rest get 412', async (t) => {
  const created = (await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(unique('U')) }))
    .body;
  const responses = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      kinga.fhir({
        method: 'PUT',
        url: `/fhir/R4/Patient/${created.id}`,
        body: { ...created, name: [{ family: 'Mwakilema', given: [`Writer${i}`] }] },
        headers: { 'if-match': 'W/"1"' },
      }),
    ),
  );
  const statuses = responses.map((r) => r.status).sort();
  t.same(statuses, [200, ...Array(9).fill(412)]);
  for (const r of responses.filter((r) => r.status === 412)) {
    t.equal(validFhir(t, r).resourceType, 'OperationOutcome');
  }
  const current = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${created.id}` }));
  t.equal(current.meta.versionId, '2', 'exactly one new version');
});

t.test('concurrent updates without If-Match are applied one after the other', async (t) => {
  const created = (await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(unique('V')) }))
    .body;
  const responses = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      kinga.fhir({
        method: 'PUT',
        url: `/fhir/R4/Patient/${created.id}`,
        body: { ...created, name: [{ family: 'Mwakilema', given: [`Writer${i}`] }] },
      }),
    ),
  );
  t.same(
    responses.map((r) => r.status),
    [200, 200, 200, 200, 200],
  );
  const history = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${created.id}/_history` }),
  );
  t.equal(history.entry.length, 6, 'every write is a version');
});

t.test('a duplicate insurance number is a 409 and stores nothing', async (t) => {
  const number = unique('D');
  t.equal((await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(number) })).status, 201);
  const again = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(number) });
  t.equal(again.status, 409);
  t.same(validFhir(t, again).issue[0].expression, ['Patient.identifier']);
  const found = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient?identifier=${number}` }),
  );
  t.equal(found.total, 1);
});

t.test('update-as-create with a client UUID converges on retry', async (t) => {
  const id = crypto.randomUUID();
  const body = { ...patient(unique('O')), id };
  const first = await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Patient/${id}`, body });
  t.equal(first.status, 201);
  t.equal(validFhir(t, first).id, id);
  const retry = await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Patient/${id}`, body });
  t.equal(retry.status, 200);
  t.equal(validFhir(t, retry).meta.versionId, '1', 'an identical retry makes no new version');
});
