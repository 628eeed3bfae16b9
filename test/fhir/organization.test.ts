import { randomUUID } from 'node:crypto';
import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const IDENTIFIER_TYPES = `${IG}/CodeSystem/openimis-identifiers`;
const ORG_TYPE = 'http://terminology.hl7.org/CodeSystem/organization-type';
const FACILITY_CODE = 'https://kinga.health/fhir/NamingSystem/facility-code';
const INSURER_CODE = 'https://kinga.health/fhir/NamingSystem/insurer-code';
const EXT = {
  level: `${IG}/StructureDefinition/organization-hf-level`,
  careType: `${IG}/StructureDefinition/organization-hf-care-type`,
  legalForm: `${IG}/StructureDefinition/organization-legal-form`,
  location: `${IG}/StructureDefinition/address-location-reference`,
  contract: 'https://kinga.health/fhir/StructureDefinition/organization-contract-period',
  status: 'https://kinga.health/fhir/StructureDefinition/organization-status',
};

async function createLocation(type: string, parentId?: string): Promise<string> {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: {
      resourceType: 'Location',
      identifier: [{ type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] }, value: unique('L') }],
      name: unique('Place'),
      physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
      ...(parentId ? { partOf: { reference: `Location/${parentId}` } } : {}),
    },
  });
  if (res.status !== 201) {
    throw new Error(`Location create failed: ${JSON.stringify(res.body)}`);
  }
  return res.body.id;
}

const regionId = await createLocation('R');
const districtId = await createLocation('D', regionId);

function facility(code: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Organization',
    extension: [
      {
        url: EXT.legalForm,
        valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/organization-legal-form`, code: 'G' }] },
      },
      {
        url: EXT.level,
        valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/organization-hf-level`, code: 'H' }] },
      },
      {
        url: EXT.careType,
        valueCodeableConcept: {
          coding: [{ system: `${IG}/CodeSystem/organization-hf-care-type`, code: 'B' }],
        },
      },
      { url: EXT.contract, valuePeriod: { start: '2026-01-01', end: '2026-12-31' } },
    ],
    identifier: [{ type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] }, value: code }],
    type: [{ coding: [{ system: ORG_TYPE, code: 'prov' }] }],
    name: 'Rapta District Hospital',
    active: true,
    telecom: [
      { system: 'phone', value: '+255 22 000 0001' },
      { system: 'fax', value: '+255 22 000 0002' },
      { system: 'email', value: 'rapta@example.org' },
    ],
    address: [
      {
        extension: [{ url: EXT.location, valueReference: { reference: `Location/${districtId}` } }],
        text: '1 Hospital Road',
        city: 'Ultha',
        district: 'Rapta',
        state: 'Upper River',
      },
    ],
    ...extra,
  };
}

function insurer(code: string, name: string): Record<string, unknown> {
  return {
    resourceType: 'Organization',
    identifier: [{ system: INSURER_CODE, value: code }],
    type: [{ coding: [{ system: ORG_TYPE, code: 'ins' }] }],
    name,
  };
}

async function create(body: Record<string, unknown>): Promise<any> {
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Organization', body });
  if (res.status !== 201) {
    throw new Error(`Organization create failed: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

async function search(query: string): Promise<any> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Organization?${query}` });
  if (res.status !== 200) {
    throw new Error(`search ${query}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

const ids = (bundle: any, mode = 'match'): string[] =>
  (bundle.entry ?? []).filter((e: any) => e.search?.mode === mode).map((e: any) => e.resource.id);
const extension = (resource: any, url: string): any => resource.extension?.find((e: any) => e.url === url);

t.test('a health facility is published in the openIMIS shape', async (t) => {
  const code = unique('HF');
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Organization', body: facility(code) });
  t.equal(res.status, 201);
  const hf = validFhir(t, res);
  t.same(hf.meta.profile, ['https://kinga.health/fhir/StructureDefinition/kinga-organization']);
  t.same(hf.type, [{ coding: [{ system: ORG_TYPE, code: 'prov', display: 'Healthcare Provider' }] }]);
  t.same(hf.identifier, [
    { type: { coding: [{ system: IDENTIFIER_TYPES, code: 'UUID' }] }, value: hf.id },
    {
      use: 'usual',
      type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] },
      system: FACILITY_CODE,
      value: code,
    },
  ]);
  t.equal(hf.active, true);
  t.same(extension(hf, EXT.level).valueCodeableConcept.coding[0], {
    system: `${IG}/CodeSystem/organization-hf-level`,
    code: 'H',
    display: 'Hospital',
  });
  t.equal(extension(hf, EXT.careType).valueCodeableConcept.coding[0].code, 'B');
  t.same(extension(hf, EXT.legalForm).valueCodeableConcept.coding[0], {
    system: `${IG}/CodeSystem/organization-legal-form`,
    code: 'G',
    display: 'Government',
  });
  t.same(extension(hf, EXT.contract).valuePeriod, { start: '2026-01-01', end: '2026-12-31' });
  t.same(hf.telecom, [
    { system: 'phone', value: '+255 22 000 0001', use: 'work' },
    { system: 'fax', value: '+255 22 000 0002', use: 'work' },
    { system: 'email', value: 'rapta@example.org', use: 'work' },
  ]);
  t.same(hf.address, [
    {
      extension: [{ url: EXT.location, valueReference: { reference: `Location/${districtId}` } }],
      use: 'work',
      type: 'physical',
      text: '1 Hospital Road',
      city: 'Ultha',
      district: 'Rapta',
      state: 'Upper River',
    },
  ]);
  const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Organization/${hf.id}` });
  t.same(validFhir(t, read), hf);
});

t.test('the insurer is an Organization of type ins', async (t) => {
  const code = unique('INS');
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Organization',
    body: insurer(code, 'National Health Insurance'),
  });
  t.equal(res.status, 201);
  const ins = validFhir(t, res);
  t.equal(ins.type[0].coding[0].code, 'ins');
  t.equal(ins.identifier[1].system, INSURER_CODE);
  t.equal(ins.extension, undefined, 'no facility extensions');
});

t.test('facility rules name the element at fault', async (t) => {
  const noLevel = facility(unique('HF'));
  noLevel['extension'] = (noLevel['extension'] as any[]).filter((e) => e.url !== EXT.level);
  const res1 = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Organization', body: noLevel });
  t.equal(res1.status, 422);
  t.same(validFhir(t, res1).issue[0].expression, [`Organization.extension('${EXT.level}')`]);

  const inRegion = facility(unique('HF'));
  (inRegion['address'] as any[])[0].extension[0].valueReference.reference = `Location/${regionId}`;
  const res2 = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Organization', body: inRegion });
  t.equal(res2.status, 422);
  t.same(validFhir(t, res2).issue[0].expression, [`Organization.address.extension('${EXT.location}')`]);

  const backwards = facility(unique('HF'));
  (backwards['extension'] as any[])[3].valuePeriod = { start: '2026-12-31', end: '2026-01-01' };
  const res3 = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Organization', body: backwards });
  t.equal(res3.status, 422);
  t.same(validFhir(t, res3).issue[0].expression, [`Organization.extension('${EXT.contract}')`]);

  const unknownParent = facility(unique('HF'), { partOf: { reference: `Organization/${randomUUID()}` } });
  const res4 = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Organization', body: unknownParent });
  t.equal(res4.status, 422);
  t.same(validFhir(t, res4).issue[0].expression, ['Organization.partOf']);
});

t.test('a code used by a live organisation is a 409', async (t) => {
  const code = unique('DUP');
  await create(facility(code));
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Organization',
    body: insurer(code, 'Other'),
  });
  t.equal(res.status, 409);
  t.equal(validFhir(t, res).issue[0].code, 'conflict');
});

t.test('update, history and delete', async (t) => {
  const hf = await create(facility(unique('HF')));
  const updated = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Organization/${hf.id}`,
    body: { ...hf, name: 'Rapta Referral Hospital' },
    headers: { 'if-match': 'W/"1"' },
  });
  t.equal(updated.status, 200);
  t.equal(validFhir(t, updated).meta.versionId, '2');
  t.equal(updated.body.name, 'Rapta Referral Hospital');

  const deleted = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Organization/${hf.id}` });
  t.equal(deleted.status, 204);
  const gone = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Organization/${hf.id}` });
  t.equal(gone.status, 410);
  validFhir(t, gone);
  const history = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Organization/${hf.id}/_history` }),
  );
  t.same(
    history.entry.map((e: any) => e.request.method),
    ['DELETE', 'PUT', 'POST'],
  );
  const v1 = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Organization/${hf.id}/_history/1` });
  t.equal(validFhir(t, v1).name, 'Rapta District Hospital');
});

t.test('a delisted facility is inactive, says why, and stays delisted when written back', async (t) => {
  const delisted = facility(unique('HF'), { active: false });
  (delisted['extension'] as any[]).push({
    url: EXT.status,
    valueCoding: { system: 'https://kinga.health/fhir/CodeSystem/organization-status', code: 'delisted' },
  });
  const hf = await create(delisted);
  t.equal(hf.active, false);
  t.equal(extension(hf, EXT.status).valueCoding.code, 'delisted');

  const again = await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Organization/${hf.id}`, body: hf });
  t.equal(again.status, 200);
  t.equal(validFhir(t, again).meta.versionId, '1', 'nothing changed');

  const reactivated = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Organization/${hf.id}`,
    body: { ...hf, active: true },
  });
  t.equal(validFhir(t, reactivated).active, true);
  t.equal(extension(reactivated.body, EXT.status), undefined);

  const inactive = await create(facility(unique('HF'), { active: false }));
  t.equal(inactive.active, false);
  t.equal(extension(inactive, EXT.status), undefined, 'plain inactive needs no reason');
});

t.test('search by identifier, name, type, partof, address, location', async (t) => {
  const name = unique('Searchable');
  const code = unique('HF');
  const parent = await create(facility(code, { name: `${name} hospital` }));
  const child = await create(
    facility(unique('HF'), { name: `${name} clinic`, partOf: { reference: `Organization/${parent.id}` } }),
  );
  const insCode = unique('INS');
  const ins = await create(insurer(insCode, `${name} insurer`));

  t.same(ids(await search(`identifier=${code}`)), [parent.id]);
  t.same(ids(await search(`identifier=${encodeURIComponent(`${FACILITY_CODE}|${code}`)}`)), [parent.id]);
  t.same(
    ids(await search(`identifier=${encodeURIComponent(`${INSURER_CODE}|${code}`)}`)),
    [],
    'a facility code is no insurer code',
  );
  t.same(ids(await search(`identifier=${encodeURIComponent(`${INSURER_CODE}|${insCode}`)}`)), [ins.id]);
  t.same(ids(await search(`identifier=${unique('NONE')}`)), []);

  t.same(ids(await search(`name=${name}`)).sort(), [parent.id, child.id, ins.id].sort());
  t.same(ids(await search(`name=${name} clinic`)), [child.id]);
  t.same(ids(await search(`name=${unique('Nowhere')}`)), []);

  t.same(ids(await search(`name=${name}&type=ins`)), [ins.id]);
  t.same(
    ids(await search(`name=${name}&type=${encodeURIComponent(`${ORG_TYPE}|prov`)}`)).sort(),
    [parent.id, child.id].sort(),
  );
  t.same(ids(await search(`name=${name}&type=bus`)), []);

  t.same(ids(await search(`partof=Organization/${parent.id}`)), [child.id]);
  t.same(ids(await search(`partof=${child.id}`)), []);
  const withParent = validFhir(
    t,
    await kinga.fhir({
      method: 'GET',
      url: `/fhir/R4/Organization?_id=${child.id}&_include=Organization:partof`,
    }),
  );
  t.same(ids(withParent, 'include'), [parent.id], '_include=Organization:partof');

  t.same(
    ids(await search(`name=${name}&address=ulth`)).sort(),
    [parent.id, child.id].sort(),
    'address: the city',
  );
  t.same(ids(await search(`name=${name}&address=upper river`)).length, 2, 'address: the state');
  t.same(ids(await search(`name=${name}&address=Nairobi`)), []);

  t.same(
    ids(await search(`name=${name}&location=Location/${districtId}`)).sort(),
    [parent.id, child.id].sort(),
  );
  t.same(ids(await search(`name=${name}&location=${regionId}`)), []);
  const withDistrict = await search(`_id=${parent.id}&_include=Organization:location`);
  t.same(ids(withDistrict, 'include'), [districtId], '_include=Organization:location');
});
