import { readFileSync } from 'node:fs';
import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const IDENTIFIER_TYPES = `${IG}/CodeSystem/openimis-identifiers`;
const EXT = {
  address: `${IG}/StructureDefinition/group-address`,
  poverty: `${IG}/StructureDefinition/group-poverty-status`,
  type: `${IG}/StructureDefinition/group-type`,
  confirmation: `${IG}/StructureDefinition/group-confirmation`,
  municipality: `${IG}/StructureDefinition/address-municipality`,
  location: `${IG}/StructureDefinition/address-location-reference`,
  groupReference: `${IG}/StructureDefinition/patient-group-reference`,
  isHead: `${IG}/StructureDefinition/patient-is-head`,
};

async function createLocation(type: string, parentId?: string, id?: string): Promise<string> {
  const body = {
    resourceType: 'Location',
    ...(id ? { id } : {}),
    identifier: [{ type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] }, value: unique('L') }],
    name: unique('Place'),
    physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
    ...(parentId ? { partOf: { reference: `Location/${parentId}` } } : {}),
  };
  const res = id
    ? await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Location/${id}`, body })
    : await kinga.fhir({ method: 'POST', url: '/fhir/R4/Location', body });
  if (res.status !== 201) {
    throw new Error(`Location create failed: ${JSON.stringify(res.body)}`);
  }
  return res.body.id;
}

const regionId = await createLocation('R');
const districtId = await createLocation('D', regionId);
const wardId = await createLocation('W', districtId);
const villageId = await createLocation('V', wardId);

interface Person {
  id: string;
  number: string;
}

async function patient(family = 'Mwangi', id?: string): Promise<Person> {
  const number = unique('P');
  const body = {
    resourceType: 'Patient',
    ...(id ? { id } : {}),
    identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
    name: [{ family, given: ['Amani'] }],
    gender: 'female',
    birthDate: '1985-06-01',
  };
  const res = id
    ? await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Patient/${id}`, body })
    : await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body });
  if (res.status !== 201) {
    throw new Error(`Patient create failed: ${JSON.stringify(res.body)}`);
  }
  return { id: res.body.id, number };
}

function group(members: Person[], headNumber?: string, extension: unknown[] = []): Record<string, unknown> {
  return {
    resourceType: 'Group',
    extension,
    ...(headNumber
      ? {
          identifier: [{ type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] }, value: headNumber }],
        }
      : {}),
    type: 'person',
    actual: true,
    member: members.map((m) => ({ entity: { reference: `Patient/${m.id}` } })),
  };
}

async function create(body: Record<string, unknown>): Promise<any> {
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Group', body });
  if (res.status !== 201) {
    throw new Error(`Group create failed: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

async function read(type: string, id: string): Promise<any> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/${type}/${id}` });
  if (res.status !== 200) {
    throw new Error(`read ${type}/${id}: ${res.status}`);
  }
  return res.body;
}

async function search(query: string): Promise<any> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/${query}` });
  if (res.status !== 200) {
    throw new Error(`search ${query}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

const ids = (bundle: any, mode = 'match'): string[] =>
  (bundle.entry ?? []).filter((e: any) => e.search?.mode === mode).map((e: any) => e.resource.id);
const extension = (resource: any, url: string): any => resource.extension?.find((e: any) => e.url === url);
const memberIds = (g: any): string[] => g.member.map((m: any) => m.entity.reference.split('/')[1]);

t.test('a family is published as a Group named and identified by its head', async (t) => {
  const member = await patient('Otieno');
  const head = await patient('Wanjiru');
  const extensions = [
    {
      url: EXT.address,
      valueAddress: {
        extension: [
          { url: EXT.municipality, valueString: 'Kibera' },
          { url: EXT.location, valueReference: { reference: `Location/${villageId}` } },
        ],
        use: 'home',
        type: 'physical',
        text: 'Plot 7',
      },
    },
    { url: EXT.poverty, valueBoolean: true },
    {
      url: EXT.type,
      valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/group-type`, code: 'H' }] },
    },
    {
      url: EXT.confirmation,
      extension: [
        { url: 'number', valueString: 'C-42' },
        {
          url: 'type',
          valueCodeableConcept: {
            coding: [{ system: `${IG}/CodeSystem/group-confirmation-type`, code: 'A' }],
          },
        },
      ],
    },
  ];
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Group',
    body: group([member, head], head.number, extensions),
  });
  t.equal(res.status, 201);
  const g = validFhir(t, res);
  t.same(g.meta.profile, ['https://kinga.health/fhir/StructureDefinition/kinga-group']);
  t.same(g.identifier, [
    {
      use: 'usual',
      type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] },
      system: kinga.config.INSURANCE_NUMBER_SYSTEM,
      value: head.number,
    },
    { type: { coding: [{ system: IDENTIFIER_TYPES, code: 'UUID' }] }, value: g.id },
  ]);
  t.equal(g.type, 'person');
  t.equal(g.actual, true);
  t.equal(g.name, 'Wanjiru', "the head's family name");
  t.equal(g.quantity, 2);
  t.same(memberIds(g), [head.id, member.id], 'the head first');
  t.same(extension(g, EXT.address).valueAddress, extensions[0]!.valueAddress);
  t.equal(extension(g, EXT.poverty).valueBoolean, true);
  t.same(extension(g, EXT.type).valueCodeableConcept.coding[0], {
    system: `${IG}/CodeSystem/group-type`,
    code: 'H',
    display: 'Household',
  });
  t.same(extension(g, EXT.confirmation).extension, [
    { url: 'number', valueString: 'C-42' },
    {
      url: 'type',
      valueCodeableConcept: {
        coding: [{ system: `${IG}/CodeSystem/group-confirmation-type`, code: 'A', display: 'Local council' }],
      },
    },
  ]);
  t.same(validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Group/${g.id}` })), g);

  const headPatient = await read('Patient', head.id);
  t.equal(headPatient.meta.versionId, '2', 'joining made a new Patient version');
  t.same(extension(headPatient, EXT.groupReference).valueReference, { reference: `Group/${g.id}` });
  t.equal(extension(headPatient, EXT.isHead).valueBoolean, true);
  const memberPatient = await read('Patient', member.id);
  t.same(extension(memberPatient, EXT.groupReference).valueReference, { reference: `Group/${g.id}` });
  t.equal(extension(memberPatient, EXT.isHead).valueBoolean, false);
});

t.test('without a matching Code identifier the first member heads the family', async (t) => {
  const first = await patient('First');
  const second = await patient('Second');
  const g = await create(group([first, second], unique('NOBODY')));
  t.equal(g.name, 'First');
  t.equal(g.identifier[0].value, first.number, 'the Code identifier is the real head number');
});

t.test('update changes membership; the members’ Patients follow; history keeps versions', async (t) => {
  const head = await patient();
  const leaving = await patient();
  const joining = await patient();
  const g = await create(group([head, leaving], head.number));

  const updated = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Group/${g.id}`,
    body: { ...group([head, joining], undefined), id: g.id },
    headers: { 'if-match': 'W/"1"' },
  });
  t.equal(updated.status, 200);
  const v2 = validFhir(t, updated);
  t.equal(v2.meta.versionId, '2');
  t.same(memberIds(v2), [head.id, joining.id], 'the current head stays head without an identifier');
  t.equal(v2.quantity, 2);

  const joined = await read('Patient', joining.id);
  t.equal(joined.meta.versionId, '2');
  t.same(extension(joined, EXT.groupReference).valueReference, { reference: `Group/${g.id}` });
  const left = await read('Patient', leaving.id);
  t.equal(left.meta.versionId, '3', 'joined, then left');
  t.equal(extension(left, EXT.groupReference), undefined);

  const newHead = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Group/${g.id}`,
    body: { ...group([head, joining], joining.number), id: g.id },
  });
  t.same(memberIds(validFhir(t, newHead)), [joining.id, head.id], 'the Code identifier names the new head');
  t.equal(extension(await read('Patient', head.id), EXT.isHead).valueBoolean, false);

  const history = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Group/${g.id}/_history` }));
  t.same(
    history.entry.map((e: any) => e.resource.meta.versionId),
    ['3', '2', '1'],
  );
  const v1 = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Group/${g.id}/_history/1` }));
  t.same(memberIds(v1), [head.id, leaving.id]);
});

t.test('renaming the head renames the Group', async (t) => {
  const head = await patient('Before');
  const g = await create(group([head], head.number));
  const current = await read('Patient', head.id);
  const renamed = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Patient/${head.id}`,
    body: { ...current, name: [{ family: 'After', given: ['Amani'] }] },
  });
  t.equal(renamed.status, 200);
  const after = await read('Group', g.id);
  t.equal(after.name, 'After');
  t.equal(after.meta.versionId, '2');
});

t.test('a member of another family moves; a head of another family cannot join', async (t) => {
  const headA = await patient();
  const mover = await patient();
  const a = await create(group([headA, mover], headA.number));
  const headB = await patient();
  const b = await create(group([headB, mover], headB.number));
  t.same(memberIds(b), [headB.id, mover.id]);

  const afterMove = await read('Group', a.id);
  t.equal(afterMove.meta.versionId, '2', 'the family left behind has a new version');
  t.same(memberIds(afterMove), [headA.id]);
  t.equal(afterMove.quantity, 1);
  t.same(extension(await read('Patient', mover.id), EXT.groupReference).valueReference, {
    reference: `Group/${b.id}`,
  });

  const newcomer = await patient();
  const refused = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Group',
    body: group([newcomer, headA], newcomer.number),
  });
  t.equal(refused.status, 422);
  const outcome = validFhir(t, refused);
  t.same(outcome.issue[0].expression, ['Group.member']);
  t.match(outcome.issue[0].diagnostics, headA.number);
  t.equal((await read('Group', a.id)).meta.versionId, '2', 'nothing changed');
});

t.test('member references must be Patients that exist, listed once', async (t) => {
  const head = await patient();
  const twice = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Group',
    body: group([head, head], head.number),
  });
  t.equal(twice.status, 400);
  t.same(validFhir(t, twice).issue[0].expression, ['Group.member']);

  const notPatient = group([head], head.number);
  (notPatient['member'] as any[]).push({ entity: { reference: `Group/${head.id}` } });
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Group', body: notPatient });
  t.equal(res.status, 422, 'the profile allows Patient members only');
  t.match(validFhir(t, res).issue[0].expression, [/^Group\.member/]);

  const unknown = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Group',
    body: group([head, { id: '0190c0de-0000-7000-8000-000000000000', number: 'x' }]),
  });
  t.equal(unknown.status, 422);
  t.same(validFhir(t, unknown).issue[0].expression, ['Group.member']);
});

t.test('deleting a Group frees its members', async (t) => {
  const head = await patient();
  const member = await patient();
  const g = await create(group([head, member], head.number));
  const deleted = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Group/${g.id}` });
  t.equal(deleted.status, 204);
  const gone = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Group/${g.id}` });
  t.equal(gone.status, 410);
  validFhir(t, gone);
  for (const person of [head, member]) {
    const p = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${person.id}` }));
    t.equal(extension(p, EXT.groupReference), undefined, 'no group reference');
    t.equal(extension(p, EXT.isHead).valueBoolean, false);
  }
  const history = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Group/${g.id}/_history` }));
  t.same(
    history.entry.map((e: any) => e.request.method),
    ['DELETE', 'POST'],
  );
});

t.test('the openIMIS group fixture is accepted once its member Patient exists', async (t) => {
  const fixture = JSON.parse(
    readFileSync(new URL('../fixtures/openimis/group-example-1.json', import.meta.url), 'utf8'),
  );
  const fixtureVillage =
    fixture.extension[0].valueAddress.extension[1].valueReference.reference.split('/')[1];
  await createLocation('V', wardId, fixtureVillage);
  const memberId = fixture.member[0].entity.reference.split('/')[1];
  const member = await patient('TEST_LAST_NAME', memberId);

  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Group', body: fixture });
  t.equal(res.status, 201);
  const g = validFhir(t, res);
  t.same(memberIds(g), [memberId]);
  t.equal(g.name, 'TEST_LAST_NAME');
  t.equal(g.identifier[0].value, member.number, 'TestChfId1 names no member: the first member heads');
  t.equal(extension(g, EXT.poverty).valueBoolean, false);
  t.equal(extension(g, EXT.type).valueCodeableConcept.coding[0].code, 'H');
  const address = extension(g, EXT.address).valueAddress;
  t.equal(address.text, 'Test Street 7th TownCity');
  t.same(address.extension, [
    { url: EXT.municipality, valueString: 'Test' },
    { url: EXT.location, valueReference: { reference: `Location/${fixtureVillage}` } },
  ]);
});

t.test('search by identifier, member and _lastUpdated; _include and _revinclude', async (t) => {
  const before = new Date(Date.now() - 1000).toISOString();
  const head = await patient();
  const member = await patient();
  const outsider = await patient();
  const g = await create(group([head, member], head.number));

  t.same(ids(await search(`Group?identifier=${head.number}`)), [g.id], "identifier: the head's number");
  t.same(
    ids(
      await search(
        `Group?identifier=${encodeURIComponent(`${kinga.config.INSURANCE_NUMBER_SYSTEM}|${head.number}`)}`,
      ),
    ),
    [g.id],
  );
  t.same(ids(await search(`Group?identifier=${member.number}`)), [], "a member's number is not the family's");
  t.same(ids(await search(`Group?identifier=${g.id}`)), [g.id], 'identifier: the UUID');

  t.same(ids(await search(`Group?member=Patient/${member.id}`)), [g.id]);
  t.same(ids(await search(`Group?member=${head.id}`)), [g.id]);
  t.same(ids(await search(`Group?member=${outsider.id}`)), []);

  t.same(ids(await search(`Group?_id=${g.id}&_lastUpdated=ge${before}`)), [g.id]);
  t.same(ids(await search(`Group?_id=${g.id}&_lastUpdated=lt${before}`)), []);

  const included = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Group?_id=${g.id}&_include=Group:member` }),
  );
  t.same(ids(included), [g.id]);
  t.same(ids(included, 'include').sort(), [head.id, member.id].sort(), '_include=Group:member');

  const revincluded = validFhir(
    t,
    await kinga.fhir({
      method: 'GET',
      url: `/fhir/R4/Patient?_id=${member.id},${outsider.id}&_revinclude=Group:member`,
    }),
  );
  t.same(ids(revincluded).sort(), [member.id, outsider.id].sort());
  t.same(ids(revincluded, 'include'), [g.id], '_revinclude=Group:member');

  t.same(
    ids(await search(`Patient?group=Group/${g.id}`)).sort(),
    [head.id, member.id].sort(),
    'Patient?group agrees',
  );
});
