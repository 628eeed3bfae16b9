import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const TYPE_SYSTEM = 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/location-type';
const IDENTIFIER_TYPES = 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/openimis-identifiers';
const CODE_SYSTEM = 'https://kinga.health/fhir/NamingSystem/location-code';

function location(type: string, code: string, name: string, parentId?: string): Record<string, unknown> {
  return {
    resourceType: 'Location',
    identifier: [{ type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] }, value: code }],
    name,
    status: 'active',
    physicalType: { coding: [{ system: TYPE_SYSTEM, code: type }] },
    ...(parentId ? { partOf: { reference: `Location/${parentId}` } } : {}),
  };
}

async function create(type: string, name: string, parentId?: string): Promise<any> {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: location(type, unique('L'), name, parentId),
  });
  if (res.status !== 201) {
    throw new Error(`Location create failed: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

async function search(query: string): Promise<any> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location?${query}` });
  if (res.status !== 200) {
    throw new Error(`search ${query}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

const ids = (bundle: any, mode = 'match'): string[] =>
  (bundle.entry ?? []).filter((e: any) => e.search?.mode === mode).map((e: any) => e.resource.id);

t.test('create answers the openIMIS shape; read returns it', async (t) => {
  const region = await create('R', 'Upper River');
  const code = unique('D');
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: location('D', code, 'Rapta', region.id),
  });
  t.equal(res.status, 201);
  const district = validFhir(t, res);
  t.same(district.meta.profile, ['https://kinga.health/fhir/StructureDefinition/kinga-location']);
  t.same(district.identifier, [
    { type: { coding: [{ system: IDENTIFIER_TYPES, code: 'UUID' }] }, value: district.id },
    {
      use: 'usual',
      type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] },
      system: CODE_SYSTEM,
      value: code,
    },
  ]);
  t.equal(district.name, 'Rapta');
  t.equal(district.status, 'active');
  t.equal(district.mode, 'instance');
  t.same(district.physicalType, { coding: [{ system: TYPE_SYSTEM, code: 'D', display: 'District' }] });
  t.same(district.partOf, { reference: `Location/${region.id}` });

  const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location/${district.id}` });
  t.equal(read.status, 200);
  t.same(validFhir(t, read), district);
});

t.test('update makes version 2; vread and history keep version 1', async (t) => {
  const region = await create('R', 'Old name');
  const updated = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Location/${region.id}`,
    body: { ...region, name: 'New name', status: 'inactive' },
    headers: { 'if-match': 'W/"1"' },
  });
  t.equal(updated.status, 200);
  const body = validFhir(t, updated);
  t.equal(body.meta.versionId, '2');
  t.equal(body.name, 'New name');
  t.equal(body.status, 'inactive');

  const v1 = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location/${region.id}/_history/1` });
  t.equal(validFhir(t, v1).name, 'Old name');
  const history = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location/${region.id}/_history` }),
  );
  t.same(
    history.entry.map((e: any) => e.resource.meta.versionId),
    ['2', '1'],
  );
});

t.test('the hierarchy is region → district → ward → village', async (t) => {
  const region = await create('R', 'Region');
  const district = await create('D', 'District', region.id);

  const villageUnderDistrict = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: location('V', unique('V'), 'Village', district.id),
  });
  t.equal(villageUnderDistrict.status, 422);
  const outcome = validFhir(t, villageUnderDistrict);
  t.same(outcome.issue[0].expression, ['Location.partOf']);
  t.match(
    outcome.issue[0].diagnostics,
    /Village location must be part of a Municipality\/Ward, not a District/,
  );

  const orphan = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: location('W', unique('W'), 'Ward'),
  });
  t.equal(orphan.status, 422);
  t.same(validFhir(t, orphan).issue[0].expression, ['Location.partOf']);

  const regionWithParent = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: location('R', unique('R'), 'Region', region.id),
  });
  t.equal(regionWithParent.status, 422);
  validFhir(t, regionWithParent);

  const unknownParent = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: location('D', unique('D'), 'District', randomUUID()),
  });
  t.equal(unknownParent.status, 422);
  t.same(validFhir(t, unknownParent).issue[0].expression, ['Location.partOf']);
});

t.test('a location without code, name or a known physicalType is refused, naming the element', async (t) => {
  const noCode = { ...location('R', 'x', 'Region'), identifier: [] };
  const res1 = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Location', body: noCode });
  t.equal(res1.status, 422);
  t.same(validFhir(t, res1).issue[0].expression, ['Location.identifier']);

  const badType = location('X', unique('X'), 'Somewhere');
  const res2 = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Location', body: badType });
  t.equal(res2.status, 422);
  t.match(validFhir(t, res2).issue[0].expression, [/^Location\.physicalType/]);

  const noName = { ...location('R', unique('R'), 'x'), name: undefined };
  const res3 = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Location', body: noName });
  t.equal(res3.status, 422);
  t.same(validFhir(t, res3).issue[0].expression, ['Location.name']);
});

t.test('a code used by a live location is a 409', async (t) => {
  const code = unique('DUP');
  const first = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: location('R', code, 'A'),
  });
  t.equal(first.status, 201);
  const second = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: location('R', code, 'B'),
  });
  t.equal(second.status, 409);
  t.equal(validFhir(t, second).issue[0].code, 'conflict');
});

t.test('delete refuses a location with live children, then retires it', async (t) => {
  const region = await create('R', 'Region');
  const district = await create('D', 'District', region.id);
  const refused = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Location/${region.id}` });
  t.equal(refused.status, 422);
  const regionCode = region.identifier[1].value;
  t.match(validFhir(t, refused).issue[0].diagnostics, regionCode, 'the outcome names the location');

  t.equal((await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Location/${district.id}` })).status, 204);
  t.equal((await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Location/${region.id}` })).status, 204);
  const gone = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location/${region.id}` });
  t.equal(gone.status, 410);
  validFhir(t, gone);
  const history = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location/${region.id}/_history` }),
  );
  t.same(
    history.entry.map((e: any) => e.request.method),
    ['DELETE', 'POST'],
  );
});

t.test('the openIMIS location fixture is accepted under its parent', async (t) => {
  const fixture = JSON.parse(
    readFileSync(new URL('../fixtures/openimis/location-example-1.json', import.meta.url), 'utf8'),
  );
  const region = await create('R', 'RT');
  const district = await create('D', 'RTDT', region.id);
  const wardId = fixture.partOf.reference.split('/')[1];
  const ward = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Location/${wardId}`,
    body: { ...location('W', unique('W'), 'RTDTMT', district.id), id: wardId },
  });
  t.equal(ward.status, 201, 'update-as-create makes the parent with the id the fixture references');

  const res = await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Location/${fixture.id}`, body: fixture });
  t.equal(res.status, 201);
  const village = validFhir(t, res);
  t.equal(village.id, fixture.id);
  t.equal(village.name, 'TEST_NAME');
  t.equal(village.identifier.find((i: any) => i.system === CODE_SYSTEM).value, 'RTDTMTVT');
  t.same(village.physicalType.coding[0], { system: TYPE_SYSTEM, code: 'V', display: 'City/Village' });
  t.same(village.partOf, { reference: `Location/${wardId}` });
});

t.test('search by name, identifier, type, partof, _id and _lastUpdated', async (t) => {
  const before = new Date(Date.now() - 1000).toISOString();
  const name = unique('Searchable');
  const region = await create('R', `${name} region`);
  const district = await create('D', `${name} district`, region.id);
  const districtCode = district.identifier[1].value;

  const byName = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location?name=${name.toLowerCase()}` }),
  );
  t.same(ids(byName).sort(), [region.id, district.id].sort(), 'name: starts with, any case');
  t.same(ids(await search(`name=${unique('Nowhere')}`)), [], 'name: no match');

  t.same(ids(await search(`identifier=${districtCode}`)), [district.id], 'identifier: code');
  t.same(ids(await search(`identifier=${encodeURIComponent(`${CODE_SYSTEM}|${districtCode}`)}`)), [
    district.id,
  ]);
  t.same(
    ids(await search(`identifier=${encodeURIComponent(`urn:other|${districtCode}`)}`)),
    [],
    'identifier: other system',
  );
  t.same(ids(await search(`identifier=${district.id}`)), [district.id], 'identifier: the UUID');

  t.same(ids(await search(`name=${name}&type=D`)), [district.id], 'type: the district');
  t.same(ids(await search(`name=${name}&type=${encodeURIComponent(`${TYPE_SYSTEM}|R`)}`)), [region.id]);
  t.same(ids(await search(`name=${name}&type=V`)), [], 'type: no village');

  t.same(ids(await search(`partof=Location/${region.id}`)), [district.id], 'partof: the children');
  t.same(ids(await search(`partof=${district.id}`)), [], 'partof: none below the district');

  t.same(ids(await search(`_id=${region.id}`)), [region.id]);
  t.same(ids(await search(`_id=${randomUUID()}`)), []);
  t.same(ids(await search(`name=${name}&_lastUpdated=ge${before}`)).length, 2);
  t.same(ids(await search(`name=${name}&_lastUpdated=lt${before}`)), []);
});

t.test('_include=Location:partof adds the parent', async (t) => {
  const name = unique('Included');
  const region = await create('R', `${name} region`);
  const district = await create('D', `${name} district`, region.id);
  const res = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Location?_id=${district.id}&_include=Location:partof`,
  });
  const bundle = validFhir(t, res);
  t.same(ids(bundle), [district.id]);
  t.same(ids(bundle, 'include'), [region.id]);

  const without = await search(`_id=${region.id}&_include=Location:partof`);
  t.same(ids(without, 'include'), [], 'a region has no parent to include');
});
