import { randomInt } from 'node:crypto';
import t from 'tap';
import { derivedOrgUnitUid, isDhis2Uid, orgUnitUid } from '../../src/integrations/dhis2/uids.ts';
import { buildTestApp, unique, validFhir, type TestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const CODE_TYPE = { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] };
const DHIS2_UID = 'https://kinga.health/fhir/NamingSystem/dhis2-uid';
const DHIS2_CODE = 'https://kinga.health/fhir/NamingSystem/dhis2-code';

const ALPHANUMERICS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A fresh, valid DHIS2 UID (a letter, then 10 letters or digits). */
function newUid(): string {
  return `U${Array.from({ length: 10 }, () => ALPHANUMERICS[randomInt(62)]).join('')}`;
}

function location(
  type: string,
  code: string,
  parentId?: string,
  extra: object[] = [],
): Record<string, unknown> {
  return {
    resourceType: 'Location',
    identifier: [{ type: CODE_TYPE, value: code }, ...extra],
    name: `Place ${code}`,
    physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
    ...(parentId ? { partOf: { reference: `Location/${parentId}` } } : {}),
  };
}

async function created(app: TestApp, url: string, body: unknown): Promise<any> {
  const res = await app.fhir({ method: 'POST', url: `/fhir/R4/${url}`, body });
  if (res.status !== 201) {
    throw new Error(`create ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

function facility(code: string, districtId: string, extra: object[] = []): Record<string, unknown> {
  const ext = (name: string, system: string, code: string) => ({
    url: `${IG}/StructureDefinition/${name}`,
    valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/${system}`, code }] },
  });
  return {
    resourceType: 'Organization',
    extension: [
      ext('organization-legal-form', 'organization-legal-form', 'G'),
      ext('organization-hf-level', 'organization-hf-level', 'H'),
      ext('organization-hf-care-type', 'organization-hf-care-type', 'B'),
    ],
    identifier: [{ type: CODE_TYPE, value: code }, ...extra],
    active: true,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] }],
    name: `Facility ${code}`,
    address: [
      {
        extension: [
          {
            url: `${IG}/StructureDefinition/address-location-reference`,
            valueReference: { reference: `Location/${districtId}` },
          },
        ],
      },
    ],
  };
}

const identifiersOf = (resource: any, system: string): string[] =>
  (resource.identifier ?? []).filter((i: any) => i.system === system).map((i: any) => i.value);

const region = await created(kinga, 'Location', location('R', unique('R')));
const district = await created(kinga, 'Location', location('D', unique('D'), region.id));

async function readLocation(id: string): Promise<any> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location/${id}` });
  return validFhir(t, res);
}

t.test(
  'a derived UID is a valid DHIS2 UID, the same for the same id, and gives way to a mapped one',
  async (t) => {
    const id = '0192f0c4-5e2a-7b3c-8d4e-9f0a1b2c3d4e';
    t.ok(isDhis2Uid(derivedOrgUnitUid(id)));
    t.equal(derivedOrgUnitUid(id), derivedOrgUnitUid(id.toUpperCase()));
    t.not(derivedOrgUnitUid(id), derivedOrgUnitUid('0192f0c4-5e2a-7b3c-8d4e-9f0a1b2c3d4f'));
    t.equal(orgUnitUid({ id, dhis2Uid: null }), derivedOrgUnitUid(id));
    t.equal(orgUnitUid({ id, dhis2Uid: 'ImspTQPwCqd' }), 'ImspTQPwCqd');
    // UUIDv7 ids of one flush share their timestamp: their UIDs must still differ.
    const uids = new Set(
      Array.from({ length: 2000 }, (_, i) =>
        derivedOrgUnitUid(`0192f0c4-5e2a-7b3c-8d4e-${i.toString(16).padStart(12, '0')}`),
      ),
    );
    t.equal(uids.size, 2000);
  },
);

t.test('a Location carries its DHIS2 UID and code as identifiers, found by identifier search', async (t) => {
  const uid = newUid();
  const code = unique('OU_');
  const ward = await created(
    kinga,
    'Location',
    location('W', unique('W'), district.id, [
      { system: DHIS2_UID, value: uid },
      { system: DHIS2_CODE, value: code },
    ]),
  );
  const read = await readLocation(ward.id);
  t.same(identifiersOf(read, DHIS2_UID), [uid]);
  t.same(identifiersOf(read, DHIS2_CODE), [code]);

  for (const query of [`${DHIS2_UID}|${uid}`, `${DHIS2_CODE}|${code}`]) {
    const res = await kinga.fhir({
      method: 'GET',
      url: `/fhir/R4/Location?identifier=${encodeURIComponent(query)}`,
    });
    const bundle = validFhir(t, res);
    t.same(
      bundle.entry.map((e: any) => e.resource.id),
      [ward.id],
      `identifier=${query}`,
    );
  }

  // An update that knows nothing of DHIS2 keeps the mapping; one that sends another UID changes it.
  const plain: Record<string, unknown> = {
    ...location(
      'W',
      identifiersOf(read, 'https://kinga.health/fhir/NamingSystem/location-code')[0]!,
      district.id,
    ),
    id: ward.id,
  };
  const kept = await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Location/${ward.id}`, body: plain });
  t.equal(kept.status, 200);
  t.same(identifiersOf(validFhir(t, kept), DHIS2_UID), [uid]);
  const other = newUid();
  const changed = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Location/${ward.id}`,
    body: {
      ...plain,
      identifier: [...(plain['identifier'] as object[]), { system: DHIS2_UID, value: other }],
    },
  });
  t.equal(changed.status, 200);
  t.same(identifiersOf(validFhir(t, changed), DHIS2_UID), [other]);
});

t.test('an invalid UID is a 422 naming the identifier; a UID another org unit holds is a 409', async (t) => {
  const bad = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: location('W', unique('W'), district.id, [{ system: DHIS2_UID, value: '1bad-uid' }]),
  });
  t.equal(bad.status, 422);
  const issue = validFhir(t, bad).issue[0];
  t.match(issue.diagnostics, /DHIS2 UID 1bad-uid is not valid/);
  t.same(issue.expression, ['Location.identifier']);

  const uid = newUid();
  await created(
    kinga,
    'Location',
    location('W', unique('W'), district.id, [{ system: DHIS2_UID, value: uid }]),
  );
  // A facility is a DHIS2 org unit too: it may not take a location's UID.
  const taken = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Organization',
    body: facility(unique('HF'), district.id, [{ system: DHIS2_UID, value: uid }]),
  });
  t.equal(taken.status, 409);
  t.match(validFhir(t, taken).issue[0].diagnostics, new RegExp(`DHIS2 UID ${uid} is already`));
});

t.test('an Organization (health facility) carries its DHIS2 identifiers', async (t) => {
  const code = unique('FAC_');
  const hf = await created(
    kinga,
    'Organization',
    facility(unique('HF'), district.id, [{ system: DHIS2_CODE, value: code }]),
  );
  const read = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Organization/${hf.id}` }));
  t.same(identifiersOf(read, DHIS2_CODE), [code]);
  t.same(identifiersOf(read, DHIS2_UID), [], 'no UID until one is mapped');
  const res = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Organization?identifier=${encodeURIComponent(`${DHIS2_CODE}|${code}`)}`,
  });
  t.same(
    validFhir(t, res).entry.map((e: any) => e.resource.id),
    [hf.id],
  );
});

async function putOrgUnits(body: unknown, options: { csv?: boolean; scopes?: string } = {}) {
  const response = await kinga.app.inject({
    method: 'PUT',
    url: '/dhis2/orgUnits',
    headers: {
      authorization: `Bearer ${await kinga.token(options.scopes)}`,
      'content-type': options.csv ? 'text/csv' : 'application/json',
    },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

t.test('PUT /dhis2/orgUnits maps locations and facilities in bulk and answers what changed', async (t) => {
  const wardCode = unique('W');
  const ward = await created(kinga, 'Location', location('W', wardCode, district.id));
  const hf = await created(kinga, 'Organization', facility(unique('HF'), district.id));
  const [uid1, uid2] = [newUid(), newUid()];
  const dhisCode = unique('OU_');

  const res = await putOrgUnits([
    { location: wardCode, uid: uid1, code: dhisCode },
    { facility: hf.id, uid: uid2 },
  ]);
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.same(res.body, {
    changed: [
      {
        row: 0,
        kind: 'location',
        id: ward.id,
        code: wardCode,
        dhis2Uid: uid1,
        dhis2Code: dhisCode,
        previous: { dhis2Uid: null, dhis2Code: null },
      },
      {
        row: 1,
        kind: 'facility',
        id: hf.id,
        code: hf.identifier[1].value,
        dhis2Uid: uid2,
        dhis2Code: null,
        previous: { dhis2Uid: null, dhis2Code: null },
      },
    ],
    unchanged: 0,
  });
  // The FHIR forms are published again, each with a new version.
  const read = await readLocation(ward.id);
  t.equal(read.meta.versionId, '2');
  t.same(identifiersOf(read, DHIS2_UID), [uid1]);
  const hfRead = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Organization/${hf.id}` }));
  t.same(identifiersOf(hfRead, DHIS2_UID), [uid2]);

  const again = await putOrgUnits([{ location: ward.id, uid: uid1 }]);
  t.same(again.body, { changed: [], unchanged: 1 }, 'the same mapping again changes nothing');

  const cleared = await putOrgUnits([{ location: wardCode, code: null }]);
  t.same(cleared.body.changed[0].dhis2Code, null);
  t.same(cleared.body.changed[0].dhis2Uid, uid1, 'a member left out is unchanged');
});

t.test('one bad row changes nothing, and every error is listed', async (t) => {
  const wardCode = unique('W');
  await created(kinga, 'Location', location('W', wardCode, district.id));
  const res = await putOrgUnits([
    { location: wardCode, uid: newUid() },
    { location: unique('NOPE'), uid: newUid() },
    { facility: wardCode, uid: 'short' },
  ]);
  t.equal(res.status, 422);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(res.body.detail, /^No org-unit mapping was changed: /);
  t.match(res.body.detail, /row 1: no location NOPE/);
  t.match(res.body.detail, /row 2: no health facility/);
  const search = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location?identifier=${wardCode}` });
  t.same(identifiersOf(validFhir(t, search).entry[0].resource, DHIS2_UID), [], 'row 0 was not applied');

  const twice = await putOrgUnits([
    { location: wardCode, uid: 'Abcdefghij1' },
    { location: wardCode, code: 'X' },
  ]);
  t.equal(twice.status, 422);
  t.match(twice.body.detail, /is given twice/);
});

t.test('UIDs may swap between the records of one request', async (t) => {
  const [a, b] = [unique('W'), unique('W')];
  await created(kinga, 'Location', location('W', a, district.id));
  await created(kinga, 'Location', location('W', b, district.id));
  const [ua, ub] = [newUid(), newUid()];
  t.equal(
    (
      await putOrgUnits([
        { location: a, uid: ua },
        { location: b, uid: ub },
      ])
    ).status,
    200,
  );
  const swapped = await putOrgUnits([
    { location: a, uid: ub },
    { location: b, uid: ua },
  ]);
  t.equal(swapped.status, 200, JSON.stringify(swapped.body));
  t.same(
    swapped.body.changed.map((c: any) => [c.code, c.dhis2Uid]),
    [
      [a, ub],
      [b, ua],
    ],
  );
  const outside = await putOrgUnits([{ location: a, uid: ua }]);
  t.equal(outside.status, 422, 'a UID held by a record left out of the request is refused');
  t.match(outside.body.detail, new RegExp(`UID ${ua} is already the org unit of ${b}`));
});

t.test('CSV: a header names the columns; an empty cell clears', async (t) => {
  const wardCode = unique('W');
  const hfCode = unique('HF');
  await created(kinga, 'Location', location('W', wardCode, district.id));
  await created(kinga, 'Organization', facility(hfCode, district.id));
  const [uid, hfUid] = [newUid(), newUid()];
  const csv = `kind,code,uid,dhis2code\r\nlocation,${wardCode},${uid},"OU ${wardCode}"\r\nfacility,${hfCode},${hfUid},\r\n`;
  const res = await putOrgUnits(csv, { csv: true });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.same(
    res.body.changed.map((c: any) => [c.kind, c.code, c.dhis2Uid, c.dhis2Code]),
    [
      ['location', wardCode, uid, `OU ${wardCode}`],
      ['facility', hfCode, hfUid, null],
    ],
  );
  const uidOnly = await putOrgUnits(`kind,code,uid\nlocation,${wardCode},\n`, { csv: true });
  t.same(uidOnly.body.changed[0].dhis2Uid, null, 'an empty cell clears');
  t.same(uidOnly.body.changed[0].dhis2Code, `OU ${wardCode}`, 'a column left out is unchanged');

  const noHeader = await putOrgUnits(`location,${wardCode},${uid}\n`, { csv: true });
  t.equal(noHeader.status, 400);
});

t.test('the bulk mapping needs system/Location.u, and system/Organization.u for facilities', async (t) => {
  const wardCode = unique('W');
  await created(kinga, 'Location', location('W', wardCode, district.id));
  const read = await putOrgUnits([{ location: wardCode, uid: newUid() }], { scopes: 'system/Location.rs' });
  t.equal(read.status, 403);
  const locationsOnly = await putOrgUnits([{ facility: unique('HF'), uid: newUid() }], {
    scopes: 'system/Location.u',
  });
  t.equal(locationsOnly.status, 403);
  t.match(locationsOnly.body.detail, /Organization/);
  const ok = await putOrgUnits([{ location: wardCode, uid: newUid() }], { scopes: 'system/Location.u' });
  t.equal(ok.status, 200);
  const anonymous = await kinga.app.inject({ method: 'PUT', url: '/dhis2/orgUnits', payload: [] });
  t.equal(anonymous.statusCode, 401);
});
