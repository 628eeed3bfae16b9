import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { validateProfile } from '../../src/fhir/validation/profile-validator.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const KINGA = 'https://kinga.health/fhir/StructureDefinition';
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const LOCATION_TYPE = `${IG}/CodeSystem/location-type`;
const CODE_TYPE = { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] };

const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/openimis/${name}`, import.meta.url), 'utf8'));

async function created(url: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<any> {
  const res = await kinga.fhir({ method, url: `/fhir/R4/${url}`, body });
  if (res.status !== 201) {
    throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

function location(type: string, name: string, parentId?: string): Record<string, unknown> {
  return {
    resourceType: 'Location',
    identifier: [{ type: CODE_TYPE, value: unique('PL') }],
    name,
    physicalType: { coding: [{ system: LOCATION_TYPE, code: type }] },
    ...(parentId ? { partOf: { reference: `Location/${parentId}` } } : {}),
  };
}

/** Region → district → ward, the chain an openIMIS village sits in. */
const region = await created('Location', location('R', 'Profile Region'));
const district = await created('Location', location('D', 'Profile District', region.id));
const ward = await created('Location', location('W', 'Profile Ward', district.id));

/** Reads `type/id` back and checks it against the profile the resource claims. */
async function conformsOnRead(t: Test, type: string, id: string, profile: string): Promise<any> {
  const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/${type}/${id}` });
  const body = validFhir(t, read, `${type} read`);
  t.same(body.meta.profile, [`${KINGA}/${profile}`]);
  t.same(validateProfile(body, `${KINGA}/${profile}`), [], `the ${type} read back conforms to ${profile}`);
  return body;
}

t.test(
  'a Patient without identifier is refused with 422 naming Patient.identifier; nothing is stored',
  async (t) => {
    const family = unique('Noid');
    const res = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/Patient',
      body: { resourceType: 'Patient', name: [{ family, given: ['Asha'] }], birthDate: '1990-01-01' },
    });
    t.equal(res.status, 422);
    const outcome = validFhir(t, res);
    const issue = outcome.issue.find((i: any) => i.expression?.includes('Patient.identifier'));
    t.ok(issue, 'an issue names Patient.identifier');
    t.equal(issue.severity, 'error');
    t.match(issue.diagnostics ?? issue.details?.text, /Insurance number is required/);

    const search = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient?family=${family}` });
    t.equal(search.status, 200);
    t.same(validFhir(t, search).entry ?? [], [], 'no Patient was stored');
  },
);

t.test('a Location with a type outside R/D/W/V is refused, naming the code', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: {
      ...location('R', 'Somewhere'),
      physicalType: { coding: [{ system: LOCATION_TYPE, code: 'si' }] },
    },
  });
  t.equal(res.status, 422);
  const issue = validFhir(t, res).issue[0];
  t.same(issue.expression, ['Location.physicalType.coding[0].code']);
});

t.test('the StructureDefinitions are served without a token and are valid R4', async (t) => {
  for (const id of [
    'kinga-patient',
    'kinga-group',
    'kinga-location',
    'kinga-organization',
    'relationship-to-head',
  ]) {
    const res = await kinga.fhir({
      method: 'GET',
      url: `/fhir/R4/StructureDefinition/${id}`,
      anonymous: true,
    });
    t.equal(res.status, 200, id);
    const definition = validFhir(t, res, id);
    t.equal(definition.resourceType, 'StructureDefinition');
    t.equal(definition.url, `${KINGA}/${id}`);
    t.equal(definition.derivation, 'constraint');
    t.ok(definition.differential.element.length > 1);
  }
});

t.test('the openIMIS patient fixture is accepted once the village it references exists', async (t) => {
  const patient = fixture('patient-example-1.json');
  const villageId = patient.address[0].extension[1].valueReference.reference.split('/')[1];
  const village = fixture('location-example-1.json');
  // The village with the id the patient references, under this file's ward; its own code, because
  // test/fhir/location.test.ts creates the location fixture itself.
  await created(
    `Location/${villageId}`,
    {
      ...village,
      id: villageId,
      identifier: [{ type: CODE_TYPE, value: unique('PV') }],
      partOf: { reference: `Location/${ward.id}` },
    },
    'PUT',
  );
  // The fixture also names its family, Group/8e33033a-…, which exists only in openIMIS's test
  // database; a reference to a missing family is refused (fhir.reference-not-found), so that one
  // extension is left out.
  patient.extension = patient.extension.filter(
    (e: any) => e.url !== `${IG}/StructureDefinition/patient-group-reference`,
  );

  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const body = validFhir(t, res);
  t.equal(body.identifier[0].value, '827192671');
  t.same(body.name[0], { use: 'usual', family: 'TEST_LAST_NAME', given: ['TEST_OTHER_NAME'] });
  t.equal(
    body.address[0].extension.find(
      (e: any) => e.url === `${IG}/StructureDefinition/address-location-reference`,
    ).valueReference.reference,
    `Location/${villageId}`,
  );
  const identification = body.extension.find(
    (e: any) => e.url === `${IG}/StructureDefinition/patient-identification`,
  );
  t.same(
    identification.extension.map((e: any) => e.valueString ?? e.valueCodeableConcept.coding[0].code),
    ['PassportB1', 'P'],
  );
  t.equal(body.photo[0].contentType, 'image/png', 'the file suffix became a MIME type');
  await conformsOnRead(t, 'Patient', body.id, 'kinga-patient');
  await conformsOnRead(t, 'Location', villageId, 'kinga-location');
});

t.test('an openIMIS-shaped family (Person, "True") is accepted and reads back conforming', async (t) => {
  const village = await created('Location', location('V', 'Profile Village', ward.id));
  const member = await created('Patient', {
    resourceType: 'Patient',
    extension: [
      {
        url: `${KINGA}/relationship-to-head`,
        valueCodeableConcept: {
          coding: [{ system: `${IG}/CodeSystem/patient-contact-relationship`, code: '8' }],
        },
      },
      {
        url: `${IG}/StructureDefinition/patient-education-level`,
        valueCodeableConcept: { coding: [{ system: 'CodeSystem/patient-education-level', code: '3' }] },
      },
      { url: `${IG}//StructureDefinition/patient-card-issued`, valueBoolean: 'True' },
    ],
    identifier: [{ type: CODE_TYPE, value: unique('G') }],
    name: [{ family: 'Moyo', given: ['Tendai'] }],
  });
  const group = fixture('group-example-1.json');
  group.extension[0].valueAddress.extension[1].valueReference.reference = `Location/${village.id}`;
  group.identifier[0].value = member.identifier[0].value;
  group.member = [{ entity: { reference: `Patient/${member.id}` } }];

  const body = await created('Group', group);
  t.equal(body.type, 'person');
  t.equal(body.actual, true);
  await conformsOnRead(t, 'Group', body.id, 'kinga-group');
  // The member now carries its family and headship, and the extensions it was created with.
  const read = await conformsOnRead(t, 'Patient', member.id, 'kinga-patient');
  t.same(
    read.extension.map((e: any) => e.url.split('/').pop()),
    [
      'patient-group-reference',
      'patient-is-head',
      'patient-card-issued',
      'patient-education-level',
      'relationship-to-head',
    ],
  );
});

t.test(
  'an openIMIS health facility (double slashes, relative system, untyped prov) is accepted',
  async (t) => {
    const claim = fixture('claim-example-contained-1.json');
    const { id: _id, ...facility } = claim.contained.find((r: any) => r.resourceType === 'Organization');
    facility.identifier = [{ type: CODE_TYPE, value: unique('HF') }];
    facility.address[0].extension[0].valueReference = { reference: `Location/${district.id}` };
    // Kinga's own extensions: the contract and why the facility is not active.
    facility.active = false;
    facility.extension.push(
      {
        url: `${KINGA}/organization-contract-period`,
        valuePeriod: { start: '2024-01-01', end: '2026-12-31' },
      },
      {
        url: `${KINGA}/organization-status`,
        valueCoding: { system: 'https://kinga.health/fhir/CodeSystem/organization-status', code: 'idle' },
      },
    );

    const body = await created('Organization', facility);
    t.same(body.type[0].coding[0].code, 'prov');
    const level = body.extension.find(
      (e: any) => e.url === `${IG}/StructureDefinition/organization-hf-level`,
    );
    t.equal(level.valueCodeableConcept.coding[0].code, 'D');
    t.equal(
      body.extension.find((e: any) => e.url === `${KINGA}/organization-status`).valueCoding.code,
      'idle',
    );
    await conformsOnRead(t, 'Organization', body.id, 'kinga-organization');
  },
);
