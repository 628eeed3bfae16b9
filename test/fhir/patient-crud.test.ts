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

// The current version lives in fhir_resource only; the versions it replaced, in fhir_resource_version.
t.test(
  'each version is stored once, with the request that wrote it, and history pages across them',
  async (t) => {
    const tag = unique('req');
    const created = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/Patient',
      body: patient(unique('P')),
      headers: { 'x-request-id': `${tag}-1` },
    });
    const id = validFhir(t, created).id;
    for (const [version, given] of [
      [2, 'Gita'],
      [3, 'Rita'],
    ] as const) {
      const updated = await kinga.fhir({
        method: 'PUT',
        url: `/fhir/R4/Patient/${id}`,
        body: { ...created.body, name: [{ family: 'Shrestha', given: [given] }] },
        headers: { 'if-match': `W/"${version - 1}"`, 'x-request-id': `${tag}-${version}` },
      });
      t.equal(validFhir(t, updated).meta.versionId, String(version));
    }
    const stored = await kinga.database.pool.query<{ place: string; version_id: number; request_id: string }>(
      `select 'current' as place, version_id, request_id from fhir_resource where resource_type = 'Patient' and id = $1
     union all
     select 'replaced', version_id, request_id from fhir_resource_version where resource_type = 'Patient' and id = $1
     order by version_id`,
      [id],
    );
    t.same(
      stored.rows.map((r) => `${r.place} ${r.version_id} ${r.request_id}`),
      [`replaced 1 ${tag}-1`, `replaced 2 ${tag}-2`, `current 3 ${tag}-3`],
    );

    const givens = [];
    for (const version of [1, 2, 3]) {
      const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${id}/_history/${version}` });
      givens.push(validFhir(t, read).name[0].given[0]);
    }
    t.same(givens, ['Sita', 'Gita', 'Rita'], 'vread finds each version');
    const missing = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${id}/_history/4` });
    t.equal(missing.status, 404);
    validFhir(t, missing);

    const first = validFhir(
      t,
      await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${id}/_history?_count=2` }),
    );
    t.same(
      first.entry.map((e: any) => e.resource.meta.versionId),
      ['3', '2'],
    );
    const next = first.link.find((l: any) => l.relation === 'next').url.replace('http://kinga.test', '');
    const second = validFhir(t, await kinga.fhir({ method: 'GET', url: next }));
    t.same(
      second.entry.map((e: any) => e.resource.meta.versionId),
      ['1'],
    );
    t.notOk(
      second.link.some((l: any) => l.relation === 'next'),
      'the last page links no further',
    );
    const since = first.entry[1].resource.meta.lastUpdated;
    const recent = validFhir(
      t,
      await kinga.fhir({
        method: 'GET',
        url: `/fhir/R4/Patient/${id}/_history?_since=${encodeURIComponent(since)}`,
      }),
    );
    t.same(
      recent.entry.map((e: any) => e.resource.meta.versionId),
      ['3', '2'],
      '_since leaves out the versions before it',
    );
  },
);

t.test('a _before-version that is no version number is a 400 naming it, never a 500', async (t) => {
  const created = (await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(unique('P')) }))
    .body;
  for (const value of ['1e10', '2.5', '-1', 'abc', '0']) {
    const res = await kinga.fhir({
      method: 'GET',
      url: `/fhir/R4/Patient/${created.id}/_history?_before-version=${value}`,
    });
    t.equal(res.status, 400, value);
    t.match(validFhir(t, res).issue[0].diagnostics, '_before-version', value);
  }
  const page = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient/${created.id}/_history?_before-version=2`,
  });
  t.same(
    validFhir(t, page).entry.map((e: any) => e.resource.meta.versionId),
    ['1'],
    'a version number pages as before',
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
