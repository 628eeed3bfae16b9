import t from 'tap';
import { validateProfile } from '../../src/fhir/validation/profile-validator.ts';
import { KINGA, searchIds } from '../helpers/medical.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const CODE_SYSTEM = `${KINGA}/CodeSystem/diagnoses`;
const VALUE_SET = `${KINGA}/ValueSet/diagnoses`;
const PROFILE = `${KINGA}/StructureDefinition/kinga-diagnosis-code-system`;

// The scheme has one diagnosis list: this file is the only one in the suite that writes it, and
// works from whatever the list holds when each subtest starts.
const prefix = unique('D');
const codeOf = (n: number): string => `${prefix}${n}`;

async function current(): Promise<any> {
  const [id] = await searchIds(kinga, `CodeSystem?url=${encodeURIComponent(CODE_SYSTEM)}`);
  if (!id) {
    return undefined;
  }
  return (await kinga.fhir({ method: 'GET', url: `/fhir/R4/CodeSystem/${id}` })).body;
}

async function put(list: any, headers: Record<string, string> = {}): Promise<any> {
  return kinga.fhir({ method: 'PUT', url: `/fhir/R4/CodeSystem/${list.id}`, body: list, headers });
}

const ours = (list: any): any[] => list.concept?.filter((c: any) => c.code.startsWith(prefix)) ?? [];

t.test('the diagnosis list is a complete CodeSystem, created once', async (t) => {
  let list = await current();
  if (!list) {
    const res = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/CodeSystem',
      body: {
        resourceType: 'CodeSystem',
        url: CODE_SYSTEM,
        title: 'ICD-10 level 1',
        status: 'active',
        content: 'complete',
        concept: [{ code: codeOf(1), display: 'Cholera' }],
      },
    });
    t.equal(res.status, 201, JSON.stringify(res.body));
    list = res.body;
  }
  validFhir(t, { body: list } as any);
  t.same(list.meta.profile, [PROFILE]);
  t.equal(list.url, CODE_SYSTEM);
  t.equal(list.content, 'complete');
  t.equal(list.status, 'active');
  t.equal(list.caseSensitive, true);
  t.equal(list.valueSet, VALUE_SET);
  t.equal(list.version, list.meta.versionId, 'the list version is the record version');
  t.equal(list.count, list.concept?.length ?? 0);
  t.same(validateProfile(list, PROFILE), []);

  const second = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/CodeSystem',
    body: {
      resourceType: 'CodeSystem',
      url: CODE_SYSTEM,
      title: 'Another',
      status: 'active',
      content: 'complete',
    },
  });
  t.equal(second.status, 409);
  t.equal(validFhir(t, second).issue[0].details.coding[0].code, 'diagnosis.list-exists');
  t.same(await current(), list, 'the list is unchanged');
});

t.test('a PUT of the whole list registers, renames and retires codes in one version', async (t) => {
  const before = await current();
  const version = Number(before.meta.versionId);
  const others = (before.concept ?? []).filter((c: any) => !c.code.startsWith(prefix));
  const withOurs = {
    ...before,
    concept: [
      ...others,
      { code: codeOf(4), display: 'Typhoid fever' },
      { code: codeOf(2), display: 'Shigellosis' },
      { code: codeOf(3), display: 'Amoebiasis' },
    ],
  };
  const res = await put(withOurs, { 'if-match': `W/"${version}"` });
  t.equal(res.status, 200, JSON.stringify(res.body));
  const v1 = validFhir(t, res);
  t.equal(v1.meta.versionId, String(version + 1));
  t.same(
    ours(v1),
    [
      { code: codeOf(2), display: 'Shigellosis' },
      { code: codeOf(3), display: 'Amoebiasis' },
      { code: codeOf(4), display: 'Typhoid fever' },
    ],
    'sorted by code; a code left out (1) is retired',
  );
  t.equal(v1.count, v1.concept.length);

  const edited = {
    ...v1,
    title: 'ICD-10 (scheme list)',
    concept: v1.concept
      .filter((c: any) => c.code !== codeOf(3))
      .map((c: any) => (c.code === codeOf(2) ? { ...c, display: 'Shigellosis (bacillary dysentery)' } : c)),
  };
  const res2 = await put(edited);
  const v2 = validFhir(t, res2);
  t.equal(v2.meta.versionId, String(version + 2));
  t.equal(v2.title, 'ICD-10 (scheme list)');
  t.same(ours(v2), [
    { code: codeOf(2), display: 'Shigellosis (bacillary dysentery)' },
    { code: codeOf(4), display: 'Typhoid fever' },
  ]);
  const old = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/CodeSystem/${v2.id}/_history/${version + 1}`,
  });
  t.same(
    ours(validFhir(t, old)).map((c: any) => c.code),
    [codeOf(2), codeOf(3), codeOf(4)],
    'the previous list is kept',
  );
  const history = await kinga.fhir({ method: 'GET', url: `/fhir/R4/CodeSystem/${v2.id}/_history?_count=2` });
  t.same(
    validFhir(t, history).entry.map((e: any) => e.response.etag),
    [`W/"${version + 2}"`, `W/"${version + 1}"`],
  );

  const same = await put(v2);
  t.equal(validFhir(t, same).meta.versionId, v2.meta.versionId, 'an identical list makes no new version');

  const back = await put({ ...v2, concept: [...v2.concept, { code: codeOf(3), display: 'Amoebiasis' }] });
  t.same(
    ours(validFhir(t, back)).map((c: any) => c.code),
    [codeOf(2), codeOf(3), codeOf(4)],
    'a retired code can come back',
  );
});

t.test('bad lists are refused naming the element; the list stays as it was', async (t) => {
  const list = await current();
  const cases: [string, Record<string, unknown>, Record<string, string>, number, string][] = [
    [
      'a code listed twice',
      { concept: [...list.concept, { code: list.concept[0].code, display: 'Again' }] },
      {},
      422,
      'CodeSystem.concept.code',
    ],
    ['a concept without a name', { concept: [{ code: codeOf(9) }] }, {}, 422, 'CodeSystem.concept'],
    ['a blank name', { concept: [{ code: codeOf(9), display: ' ' }] }, {}, 422, 'CodeSystem.concept.display'],
    [
      'a code too long',
      { concept: [{ code: 'X'.repeat(21), display: 'Long' }] },
      {},
      422,
      'CodeSystem.concept.code',
    ],
    [
      'nested concepts',
      { concept: [{ code: codeOf(9), display: 'A', concept: [{ code: codeOf(10), display: 'B' }] }] },
      {},
      422,
      'CodeSystem.concept',
    ],
    ['another code system', { url: `${KINGA}/CodeSystem/other` }, {}, 422, 'CodeSystem.url'],
    ['a fragment', { content: 'fragment' }, {}, 422, 'CodeSystem.content'],
    ['no title', { title: undefined }, {}, 422, 'CodeSystem.title'],
    ['a stale version', {}, { 'if-match': 'W/"1"' }, 412, 'CodeSystem'],
  ];
  for (const [label, change, headers, status, expression] of cases) {
    const res = await put({ ...list, ...change }, headers);
    t.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
    const outcome = validFhir(t, res, label);
    if (status !== 412) {
      t.ok(
        outcome.issue.some((i: any) => i.expression?.[0]?.startsWith(expression)),
        `${label} names ${expression}: ${JSON.stringify(outcome.issue)}`,
      );
    }
  }
  t.same(await current(), list, 'unchanged');
  const gone = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/CodeSystem/${list.id}` });
  t.equal(gone.status, 405, 'the list cannot be deleted');
  validFhir(t, gone);
});

t.test('the ValueSet of all diagnoses is read-only', async (t) => {
  const ids = await searchIds(kinga, `ValueSet?url=${encodeURIComponent(VALUE_SET)}`);
  t.equal(ids.length, 1);
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/ValueSet/${ids[0]}` });
  const valueSet = validFhir(t, res);
  t.equal(valueSet.url, VALUE_SET);
  t.same(valueSet.compose, { include: [{ system: CODE_SYSTEM }] });
  t.same(validateProfile(valueSet, `${KINGA}/StructureDefinition/kinga-diagnosis-value-set`), []);
  t.same(await searchIds(kinga, 'ValueSet?title=diagnoses%20a%20claim'), ids);
  t.same(await searchIds(kinga, 'ValueSet?url=https://example.org/other'), []);

  for (const [method, url] of [
    ['POST', '/fhir/R4/ValueSet'],
    ['PUT', `/fhir/R4/ValueSet/${valueSet.id}`],
    ['DELETE', `/fhir/R4/ValueSet/${valueSet.id}`],
  ] as const) {
    const write = await kinga.fhir({ method, url, ...(method === 'DELETE' ? {} : { body: valueSet }) });
    t.equal(write.status, 405, `${method} ${url}`);
    t.equal(validFhir(t, write).issue[0].details.coding[0].code, 'fhir.interaction-not-supported');
  }
});

t.test('the list is found by url, title and status', async (t) => {
  const list = await current();
  t.same(await searchIds(kinga, `CodeSystem?url=${encodeURIComponent(CODE_SYSTEM)}`), [list.id]);
  t.same(await searchIds(kinga, `CodeSystem?url=${encodeURIComponent(VALUE_SET)}`), []);
  t.same(await searchIds(kinga, `CodeSystem?title=${encodeURIComponent(list.title.slice(0, 4))}`), [list.id]);
  t.same(await searchIds(kinga, `CodeSystem?title=${unique('none')}`), []);
  t.same(await searchIds(kinga, 'CodeSystem?status=active'), [list.id]);
  t.same(await searchIds(kinga, 'CodeSystem?status=draft'), []);
});
