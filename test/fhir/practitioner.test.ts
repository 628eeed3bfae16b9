import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { validateProfile } from '../../src/fhir/validation/profile-validator.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import {
  area,
  created,
  enrolmentOfficer,
  facility,
  IG,
  location,
  practitioner,
  QUALIFICATION,
  SUBSTITUTE_EXTENSION,
} from '../helpers/scheme-fixtures.ts';

const kinga = await buildTestApp(t);
const KINGA = 'https://kinga.health/fhir/StructureDefinition';

const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/openimis/${name}`, import.meta.url), 'utf8'));

async function read(t: Test, url: string): Promise<any> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/${url}` });
  t.equal(res.status, 200, `GET ${url}`);
  return validFhir(t, res, url);
}

function role(officerId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'PractitionerRole',
    id: officerId,
    practitioner: { reference: `Practitioner/${officerId}` },
    ...extra,
  };
}

async function putRole(officerId: string, extra: Record<string, unknown> = {}) {
  return kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PractitionerRole/${officerId}`,
    body: role(officerId, extra),
  });
}

const places = await area(kinga, 2);
const otherPlaces = await area(kinga, 1);

t.test('an enrolment officer is a Practitioner and a PractitionerRole with the same id', async (t) => {
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Practitioner', body: practitioner('EO') });
  t.equal(res.status, 201);
  const officer = validFhir(t, res);
  t.same(officer.meta.profile, [`${KINGA}/kinga-practitioner`]);
  t.same(officer.qualification, [
    { code: { coding: [{ system: QUALIFICATION, code: 'EO', display: 'Enrolment Officer' }] } },
  ]);
  t.same(validateProfile(officer, `${KINGA}/kinga-practitioner`), []);

  const assignment = await read(t, `PractitionerRole/${officer.id}`);
  t.same(assignment.meta.profile, [`${KINGA}/kinga-practitioner-role`]);
  t.same(assignment.practitioner, { reference: `Practitioner/${officer.id}` });
  t.equal(assignment.code[0].coding[0].code, 'EO');
  t.equal(assignment.identifier[0].value, officer.identifier[0].value, 'the role carries the officer code');
  t.notOk(assignment.location, 'no villages yet');

  const renamed = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Practitioner/${officer.id}`,
    body: { ...officer, name: [{ family: 'Mwakyusa', given: ['Neema', 'Grace'] }] },
    headers: { 'if-match': 'W/"1"' },
  });
  t.equal(renamed.status, 200);
  t.same(validFhir(t, renamed).name[0].given, ['Neema', 'Grace']);
  t.equal(renamed.body.meta.versionId, '2');

  const deleted = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Practitioner/${officer.id}` });
  t.equal(deleted.status, 204);
  for (const type of ['Practitioner', 'PractitionerRole']) {
    const gone = await kinga.fhir({ method: 'GET', url: `/fhir/R4/${type}/${officer.id}` });
    t.equal(gone.status, 410, `${type} is gone with the officer`);
  }
  const history = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Practitioner/${officer.id}/_history` }),
  );
  t.same(
    history.entry.map((e: any) => e.request.method),
    ['DELETE', 'PUT', 'POST'],
  );
});

t.test('an officer code is unique among live officers and freed when the officer retires', async (t) => {
  const body = practitioner('EO');
  const first = await created(kinga, 'Practitioner', body);
  const twin = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Practitioner',
    body: practitioner('CA', { identifier: body['identifier'] }),
  });
  t.equal(twin.status, 409);
  const issue = validFhir(t, twin).issue[0];
  t.same(issue.expression, ['Practitioner.identifier']);
  t.match(issue.diagnostics, /Officer code .* is already used/);

  await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Practitioner/${first.id}` });
  const again = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Practitioner', body });
  t.equal(again.status, 201, 'the retired officer freed the code');
});

t.test('a Practitioner needs exactly one qualification, CA or EO, and keeps it', async (t) => {
  const none = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Practitioner',
    body: practitioner('EO', { qualification: undefined }),
  });
  t.equal(none.status, 422);
  t.same(validFhir(t, none).issue[0].expression, ['Practitioner.qualification']);

  const other = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Practitioner',
    body: practitioner('EO', {
      qualification: [{ code: { coding: [{ system: QUALIFICATION, code: 'MD' }] } }],
    }),
  });
  t.equal(other.status, 422);
  t.match(JSON.stringify(validFhir(t, other).issue), /Practitioner\.qualification/);

  const officer = await created(kinga, 'Practitioner', practitioner('EO'));
  const switched = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Practitioner/${officer.id}`,
    body: { ...officer, qualification: [{ code: { coding: [{ system: QUALIFICATION, code: 'CA' }] } }] },
  });
  t.equal(switched.status, 422);
  const issue = validFhir(t, switched).issue[0];
  t.same(issue.expression, ['Practitioner.qualification']);
  t.match(issue.diagnostics, /stays EO/);
});

t.test("an enrolment officer's villages, district, substitute and end of work", async (t) => {
  const substitute = await enrolmentOfficer(kinga);
  const officer = await enrolmentOfficer(kinga);
  const res = await putRole(officer.id, {
    extension: [
      { url: SUBSTITUTE_EXTENSION, valueReference: { reference: `Practitioner/${substitute.id}` } },
    ],
    period: { end: '2030-06-30' },
    location: places.villages.map((v) => ({ reference: `Location/${v.id}` })),
  });
  t.equal(res.status, 200, JSON.stringify(res.body));
  const assignment = validFhir(t, res);
  t.same(
    assignment.location.map((l: any) => l.reference),
    [
      `Location/${places.district.id}`,
      ...[...places.villages]
        .sort((a, b) => a.identifier[1].value.localeCompare(b.identifier[1].value))
        .map((v) => `Location/${v.id}`),
    ],
    'the district (derived from the villages) comes first, then the villages',
  );
  t.same(assignment.extension, [
    { url: SUBSTITUTE_EXTENSION, valueReference: { reference: `Practitioner/${substitute.id}` } },
  ]);
  t.same(assignment.period, { end: '2030-06-30' });
  t.equal(assignment.meta.versionId, '2');
  t.same(validateProfile(assignment, `${KINGA}/kinga-practitioner-role`), []);
  const person = await read(t, `Practitioner/${officer.id}`);
  t.equal(person.meta.versionId, '2', 'the Practitioner is the same record, at the same version');

  const same = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PractitionerRole/${officer.id}`,
    body: assignment,
  });
  t.equal(same.status, 200);
  t.equal(validFhir(t, same).meta.versionId, '2', 'an identical PUT makes no new version');

  const cleared = await putRole(officer.id, {
    location: [{ reference: `Location/${places.villages[0].id}` }],
  });
  t.equal(cleared.status, 200);
  t.same(
    validFhir(t, cleared).location.map((l: any) => l.reference),
    [`Location/${places.district.id}`, `Location/${places.villages[0].id}`],
    'a PUT replaces the assignment',
  );
  t.notOk(cleared.body.extension, 'no substitute any more');
});

t.test('the area of an enrolment officer is one district and villages below it', async (t) => {
  const officer = await enrolmentOfficer(kinga);
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a village of another district',
      {
        location: [
          { reference: `Location/${places.district.id}` },
          { reference: `Location/${otherPlaces.villages[0].id}` },
        ],
      },
      /is not in district/,
    ],
    ['a ward', { location: [{ reference: `Location/${places.ward.id}` }] }, /not in a W/],
    [
      'two districts',
      {
        location: [
          { reference: `Location/${places.district.id}` },
          { reference: `Location/${otherPlaces.district.id}` },
        ],
      },
      /one district/,
    ],
  ];
  for (const [label, extra, message] of cases) {
    const res = await putRole(officer.id, extra);
    t.equal(res.status, 422, label);
    const issue = validFhir(t, res, label).issue[0];
    t.same(issue.expression, ['PractitionerRole.location'], label);
    t.match(issue.diagnostics, message, label);
  }
  const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/PractitionerRole/${officer.id}` });
  t.equal(read.body.meta.versionId, '1', 'nothing was stored');
});

t.test('substitutes are other live enrolment officers, never in a circle', async (t) => {
  const a = await enrolmentOfficer(kinga);
  const b = await enrolmentOfficer(kinga);
  const c = await enrolmentOfficer(kinga);
  const claimAdmin = await created(kinga, 'Practitioner', practitioner('CA'));
  const substitute = (id: string) => ({
    extension: [{ url: SUBSTITUTE_EXTENSION, valueReference: { reference: `Practitioner/${id}` } }],
  });
  t.equal((await putRole(a.id, substitute(b.id))).status, 200);
  t.equal((await putRole(b.id, substitute(c.id))).status, 200);

  for (const [label, officerId, substituteId, message] of [
    ['a circle of three', c.id, a.id, /go round in a circle/],
    ['oneself', a.id, a.id, /go round in a circle/],
    ['a claim administrator', a.id, claimAdmin.id, /another live enrolment officer/],
  ] as const) {
    const res = await putRole(officerId, substitute(substituteId));
    t.equal(res.status, 422, label);
    const issue = validFhir(t, res, label).issue[0];
    t.same(issue.expression, [`PractitionerRole.extension('${SUBSTITUTE_EXTENSION}')`], label);
    t.match(issue.diagnostics, message, label);
  }

  const retire = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Practitioner/${c.id}` });
  t.equal(retire.status, 422, 'a substitute stays while it substitutes someone');
  t.match(validFhir(t, retire).issue[0].diagnostics, /is the substitute of/);
});

t.test('a claim administrator works at a health facility, assigned by POST PractitionerRole', async (t) => {
  const hf = await facility(kinga, places.district.id);
  const admin = await created(kinga, 'Practitioner', practitioner('CA'));
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/PractitionerRole',
    body: {
      resourceType: 'PractitionerRole',
      practitioner: { reference: `Practitioner/${admin.id}` },
      code: [{ coding: [{ system: QUALIFICATION, code: 'CA' }] }],
      organization: { reference: `Organization/${hf.id}` },
    },
  });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const assignment = validFhir(t, res);
  t.equal(assignment.id, admin.id, 'the role has the id of its Practitioner');
  t.same(assignment.organization, { reference: `Organization/${hf.id}` });
  const person = await read(t, `Practitioner/${admin.id}`);
  t.same(person.extension, [
    { url: `${IG}/StructureDefinition/reference`, valueReference: { reference: `Organization/${hf.id}` } },
  ]);
  const again = await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Practitioner/${admin.id}`, body: person });
  t.equal(
    validFhir(t, again).meta.versionId,
    person.meta.versionId,
    'the person read back and sent again is no change',
  );

  const wrong: [string, Record<string, unknown>, string, RegExp][] = [
    [
      'villages',
      { location: [{ reference: `Location/${places.villages[0].id}` }] },
      'PractitionerRole.location',
      /has no area/,
    ],
    [
      'the EO code',
      { code: [{ coding: [{ system: QUALIFICATION, code: 'EO' }] }] },
      'PractitionerRole.code',
      /stays CA/,
    ],
  ];
  for (const [label, extra, expression, message] of wrong) {
    const refused = await putRole(admin.id, extra);
    t.equal(refused.status, 422, label);
    const issue = validFhir(t, refused, label).issue[0];
    t.same(issue.expression, [expression], label);
    t.match(issue.diagnostics, message, label);
  }

  const eo = await enrolmentOfficer(kinga);
  const facilityForEo = await putRole(eo.id, { organization: { reference: `Organization/${hf.id}` } });
  t.equal(facilityForEo.status, 422);
  t.same(validFhir(t, facilityForEo).issue[0].expression, ['PractitionerRole.organization']);

  const otherOfficer = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PractitionerRole/${admin.id}`,
    body: { ...role(admin.id), practitioner: { reference: `Practitioner/${eo.id}` } },
  });
  t.equal(otherOfficer.status, 422, 'a role cannot move to another officer');
  t.same(validFhir(t, otherOfficer).issue[0].expression, ['PractitionerRole.practitioner']);
});

t.test('the openIMIS claim administrator fixture is accepted, facility by code', async (t) => {
  const body = fixture('practitioner-claim-admin-example-1.json');
  // The fixture's facility (code 92345678) and officer code (1234abcd) exist only in openIMIS's
  // test data: the same shape with codes of this run.
  const hfCode = unique('HF');
  const hf = await facility(kinga, places.district.id, hfCode);
  const facilityReference = body.extension[0].valueReference;
  facilityReference.reference = `Organization/${hfCode}`;
  facilityReference.identifier.value = hfCode;
  facilityReference.display = hfCode;
  body.identifier[0].value = unique('CA');

  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Practitioner', body });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const admin = validFhir(t, res);
  t.same(admin.name, [{ use: 'usual', family: 'Smith', given: ['John'] }]);
  t.equal(admin.birthDate, '1990-03-24');
  t.same(
    admin.telecom.map((c: any) => c.value),
    ['813-996-476', 'TEST@TEST.com'],
  );
  t.equal(admin.qualification[0].code.coding[0].code, 'CA');
  t.same(
    admin.extension[0].valueReference,
    { reference: `Organization/${hf.id}` },
    'the code became the record',
  );
  const assignment = await read(t, `PractitionerRole/${admin.id}`);
  t.same(assignment.organization, { reference: `Organization/${hf.id}` });

  const unknown = fixture('practitioner-claim-admin-example-1.json');
  unknown.identifier[0].value = unique('CA');
  const refused = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Practitioner', body: unknown });
  t.equal(refused.status, 422, 'an unknown facility code is refused');
  t.same(validFhir(t, refused).issue[0].expression, [
    `Practitioner.extension('${IG}/StructureDefinition/reference')`,
  ]);
});

t.test('search by code, name, qualification, organization and location', async (t) => {
  const village = await location(kinga, 'V', places.ward.id);
  const family = unique('Kimaro');
  const officer = await created(
    kinga,
    'Practitioner',
    practitioner('EO', { name: [{ family, given: ['Baraka'] }] }),
  );
  t.equal((await putRole(officer.id, { location: [{ reference: `Location/${village.id}` }] })).status, 200);
  const hf = await facility(kinga, places.district.id);
  const admin = await created(
    kinga,
    'Practitioner',
    practitioner('CA', { name: [{ family, given: ['Rehema'] }] }),
  );
  t.equal((await putRole(admin.id, { organization: { reference: `Organization/${hf.id}` } })).status, 200);

  const ids = async (query: string, mode = 'match'): Promise<string[]> => {
    const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/${query}` });
    t.equal(res.status, 200, query);
    return (validFhir(t, res, query).entry ?? [])
      .filter((e: any) => e.search.mode === mode)
      .map((e: any) => e.resource.id);
  };
  t.same(await ids(`Practitioner?identifier=${officer.identifier[0].value}`), [officer.id]);
  t.same(
    await ids(
      `Practitioner?identifier=https://kinga.health/fhir/NamingSystem/officer-code|${admin.identifier[0].value}`,
    ),
    [admin.id],
  );
  t.same((await ids(`Practitioner?name=${family.toLowerCase()}`)).sort(), [officer.id, admin.id].sort());
  t.same(await ids(`Practitioner?name=${family}&qualification=CA`), [admin.id]);
  t.same(await ids(`PractitionerRole?role=${QUALIFICATION}|EO&location=${village.id}`), [officer.id]);
  t.same(
    await ids(
      `PractitionerRole?location=Location/${places.district.id}&identifier=${officer.identifier[0].value}`,
    ),
    [officer.id],
    'by district too',
  );
  t.same(await ids(`PractitionerRole?organization=${hf.id}`), [admin.id]);
  t.same(
    await ids(`PractitionerRole?organization=${hf.id}&_include=PractitionerRole:practitioner`, 'include'),
    [admin.id],
  );
  t.same(
    (
      await ids(`PractitionerRole?practitioner=${officer.id}&_include=PractitionerRole:location`, 'include')
    ).sort(),
    [places.district.id, village.id].sort(),
  );
  t.same(await ids(`Practitioner?identifier=${unique('NOBODY')}`), []);
});
