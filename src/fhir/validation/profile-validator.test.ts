import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { ElementDefinition, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { normaliseOpenImis } from './openimis-compat.ts';
import { validateAgainst, validateProfile } from './profile-validator.ts';

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const KINGA = 'https://kinga.health/fhir';
const IS_HEAD = `${IG}/StructureDefinition/patient-is-head`;
const IDENTIFICATION = `${IG}/StructureDefinition/patient-identification`;
const LOCATION_TYPE = `${IG}/CodeSystem/location-type`;

function profileOf(type: string, elements: Omit<ElementDefinition, 'path'>[]): StructureDefinition {
  return {
    resourceType: 'StructureDefinition',
    url: `http://example.org/StructureDefinition/test-${type}`,
    name: 'Test',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type,
    derivation: 'constraint',
    differential: { element: elements.map((e) => ({ ...e, path: e.id!.replace(/:[^.]+/g, '') })) },
  };
}
const check = (resource: unknown, definition: StructureDefinition) =>
  validateAgainst(resource as Resource, definition);
const expressions = (issues: { expression: string }[]): string[] => issues.map((i) => i.expression);

t.test('min and max, nested paths per instance of the parent', async (t) => {
  const profile = profileOf('Patient', [
    { id: 'Patient.identifier', min: 1, short: 'Insurance number' },
    { id: 'Patient.name.family', min: 1, short: 'Family name' },
    { id: 'Patient.name.given', min: 1, max: '2' },
  ]);
  const issues = check(
    { resourceType: 'Patient', name: [{ family: 'A', given: ['B'] }, { given: ['C', 'D', 'E'] }] },
    profile,
  );
  t.same(issues, [
    { code: 'required', expression: 'Patient.identifier', message: 'Insurance number is required' },
    { code: 'required', expression: 'Patient.name[1].family', message: 'Family name is required' },
    { code: 'structure', expression: 'Patient.name[1].given', message: 'given: at most 2 allowed, found 3' },
  ]);
  t.same(
    check(
      { resourceType: 'Patient', identifier: [{ value: '1' }], name: [{ family: 'A', given: ['B'] }] },
      profile,
    ),
    [],
  );
  t.same(
    check(
      {
        resourceType: 'Patient',
        identifier: [{ value: '1' }],
        name: [{ _family: { extension: [{ url: 'http://x', valueString: 'y' }] }, given: ['B'] }],
      },
      profile,
    ),
    [],
    'a primitive present only through its extensions counts',
  );
});

t.test('fixed[x] and pattern[x]', async (t) => {
  const group = profileOf('Group', [
    { id: 'Group.type', fixedCode: 'person', short: 'Group type' },
    { id: 'Group.actual', fixedBoolean: true },
  ]);
  t.same(check({ resourceType: 'Group', type: 'animal', actual: false }, group), [
    { code: 'value', expression: 'Group.type', message: "Group type must be 'person'" },
    { code: 'value', expression: 'Group.actual', message: 'actual must be true' },
  ]);
  t.same(check({ resourceType: 'Group', type: 'person', actual: true }, group), []);

  const pattern = {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }],
  };
  const patient = profileOf('Patient', [{ id: 'Patient.maritalStatus', patternCodeableConcept: pattern }]);
  const married = {
    coding: [{ system: pattern.coding[0]!.system, code: 'M', display: 'Married' }],
    text: 'x',
  };
  t.same(
    check({ resourceType: 'Patient', maritalStatus: married }, patient),
    [],
    'more than the pattern is fine',
  );
  t.same(expressions(check({ resourceType: 'Patient', maritalStatus: { text: 'married' } }, patient)), [
    'Patient.maritalStatus',
  ]);
});

t.test('required bindings: code, wrong system, missing system, no coding', async (t) => {
  const profile = profileOf('Location', [
    {
      id: 'Location.physicalType',
      short: 'Location type',
      binding: { strength: 'required', valueSet: `${KINGA}/ValueSet/location-type` },
    },
  ]);
  const at = (physicalType: unknown) => check({ resourceType: 'Location', physicalType }, profile);
  t.same(at({ coding: [{ system: LOCATION_TYPE, code: 'V' }] }), []);
  const [unknown] = at({ coding: [{ system: LOCATION_TYPE, code: 'X' }] });
  t.equal(unknown?.expression, 'Location.physicalType.coding[0].code');
  t.match(unknown?.message, /'X' is not an accepted code; use one of R \(Region\), D \(District\)/);
  t.same(
    expressions(
      at({
        coding: [
          { system: LOCATION_TYPE, code: 'V' },
          { system: 'http://x', code: 'V' },
        ],
      }),
    ),
    ['Location.physicalType.coding[1].system'],
  );
  t.same(expressions(at({ coding: [{ code: 'V' }] })), ['Location.physicalType.coding[0].system']);
  t.same(expressions(at({ text: 'village' })), ['Location.physicalType.coding']);

  const extensible = profileOf('Location', [
    {
      id: 'Location.physicalType',
      binding: { strength: 'extensible', valueSet: `${KINGA}/ValueSet/location-type` },
    },
  ]);
  t.same(
    check({ resourceType: 'Location', physicalType: { text: 'x' } }, extensible),
    [],
    'only required is enforced',
  );
});

t.test('required bindings on a code and on a Coding', async (t) => {
  const url = 'http://example.org/StructureDefinition/level';
  const profile = profileOf('Location', [
    { id: 'Location.extension:level', sliceName: 'level', type: [{ code: 'Extension', profile: [url] }] },
    {
      id: 'Location.extension:level.value[x]',
      short: 'Level',
      binding: { strength: 'required', valueSet: `${KINGA}/ValueSet/location-type` },
    },
  ]);
  const at = (value: Record<string, unknown>) =>
    check({ resourceType: 'Location', extension: [{ url, ...value }] }, profile);
  t.same(at({ valueCode: 'D' }), []);
  t.same(expressions(at({ valueCode: 'Z' })), ['Location.extension[0].valueCode']);
  t.same(at({ valueCoding: { system: LOCATION_TYPE, code: 'W' } }), []);
  t.same(expressions(at({ valueCoding: { system: LOCATION_TYPE, code: 'Z' } })), [
    'Location.extension[0].valueCoding.code',
  ]);

  const status = `${KINGA}/StructureDefinition/organization-status`;
  const organization = profileOf('Organization', [
    {
      id: 'Organization.extension:status',
      sliceName: 'status',
      type: [{ code: 'Extension', profile: [status] }],
    },
  ]);
  const coding = (code: string) => ({ system: `${KINGA}/CodeSystem/organization-status`, code });
  const withStatus = (code: string) =>
    check(
      { resourceType: 'Organization', extension: [{ url: status, valueCoding: coding(code) }] },
      organization,
    );
  t.same(withStatus('idle'), [], 'codes of a local CodeSystem, through its own extension definition');
  t.same(withStatus('closed'), [
    {
      code: 'code-invalid',
      expression: 'Organization.extension[0].valueCoding.code',
      message:
        "Organisation status: 'closed' is not an accepted code; use one of active (Active), inactive (Inactive), delisted (Delisted), idle (Idle)",
    },
  ]);
});

t.test('extension slices: url, value type, cardinality, nested sub-extensions', async (t) => {
  const profile = profileOf('Patient', [
    { id: 'Patient.extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } },
    {
      id: 'Patient.extension:isHead',
      sliceName: 'isHead',
      short: 'Head of family',
      min: 1,
      max: '1',
      type: [{ code: 'Extension', profile: [IS_HEAD] }],
    },
    { id: 'Patient.extension:isHead.value[x]', min: 1, type: [{ code: 'boolean' }] },
    {
      id: 'Patient.extension:identification',
      sliceName: 'identification',
      type: [{ code: 'Extension', profile: [IDENTIFICATION] }],
    },
    {
      id: 'Patient.extension:identification.extension:number',
      sliceName: 'number',
      short: 'Document number',
      min: 1,
    },
    { id: 'Patient.extension:identification.extension:number.url', fixedUri: 'number' },
    { id: 'Patient.extension:identification.extension:number.value[x]', type: [{ code: 'string' }] },
  ]);
  const other = { url: 'http://example.org/any', valueString: 'open slicing' };
  t.same(
    check({ resourceType: 'Patient', extension: [other, { url: IS_HEAD, valueBoolean: true }] }, profile),
    [],
  );

  t.same(check({ resourceType: 'Patient', extension: [other] }, profile), [
    {
      code: 'required',
      expression: `Patient.extension('${IS_HEAD}')`,
      message: 'Head of family is required',
    },
  ]);
  t.same(
    check(
      {
        resourceType: 'Patient',
        extension: [
          { url: IS_HEAD, valueBoolean: true },
          { url: IS_HEAD, valueString: 'yes' },
        ],
      },
      profile,
    ),
    [
      {
        code: 'structure',
        expression: `Patient.extension('${IS_HEAD}')`,
        message: 'Head of family: at most 1 allowed, found 2',
      },
      {
        code: 'structure',
        expression: 'Patient.extension[1].valueString',
        message: 'Head of family must be a boolean value, not a string',
      },
    ],
  );
  t.same(
    check(
      {
        resourceType: 'Patient',
        extension: [
          { url: IS_HEAD, valueBoolean: false },
          { url: IDENTIFICATION, extension: [{ url: 'type', valueString: 'P' }] },
        ],
      },
      profile,
    ),
    [
      {
        code: 'required',
        expression: "Patient.extension[1].extension('number')",
        message: 'Document number is required',
      },
    ],
  );
});

t.test('an extension Kinga defines is checked against its own definition', async (t) => {
  const url = `${KINGA}/StructureDefinition/relationship-to-head`;
  const profile = profileOf('Patient', [
    {
      id: 'Patient.extension:relationship',
      sliceName: 'relationship',
      short: 'Relationship',
      type: [{ code: 'Extension', profile: [url] }],
    },
  ]);
  t.same(expressions(check({ resourceType: 'Patient', extension: [{ url, valueString: '4' }] }, profile)), [
    'Patient.extension[0].valueString',
  ]);
  const concept = { coding: [{ system: `${IG}/CodeSystem/patient-contact-relationship`, code: '4' }] };
  t.same(
    check({ resourceType: 'Patient', extension: [{ url, valueCodeableConcept: concept }] }, profile),
    [],
  );
});

t.test('reference targets and the resource type', async (t) => {
  const profile = profileOf('Patient', [
    {
      id: 'Patient.generalPractitioner',
      short: 'First point of service',
      type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Organization'] }],
    },
  ]);
  const gp = (reference: string) =>
    check({ resourceType: 'Patient', generalPractitioner: [{ reference }] }, profile);
  t.same(gp('Organization/1'), []);
  t.same(gp('http://kinga.test/fhir/R4/Organization/1/_history/2'), []);
  t.same(gp('urn:uuid:0190c0de-0000-7000-8000-000000000000'), [], 'Bundle references are resolved elsewhere');
  t.same(gp('Practitioner/1'), [
    {
      code: 'value',
      expression: 'Patient.generalPractitioner[0].reference',
      message: 'First point of service must point to Organization, not to Practitioner',
    },
  ]);
  t.same(expressions(check({ resourceType: 'Group' }, profile)), ['resourceType']);
});

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/openimis');
const fixture = (name: string): Resource =>
  normaliseOpenImis(JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Resource);

t.test("Kinga's profiles accept the normalised openIMIS fixtures", async (t) => {
  t.same(
    validateProfile(fixture('patient-example-1.json'), `${KINGA}/StructureDefinition/kinga-patient`),
    [],
  );
  t.same(validateProfile(fixture('group-example-1.json'), `${KINGA}/StructureDefinition/kinga-group`), []);
  t.same(
    validateProfile(fixture('location-example-1.json'), `${KINGA}/StructureDefinition/kinga-location`),
    [],
  );
  const claim = fixture('claim-example-contained-1.json') as any;
  const organization = claim.contained.find((r: Resource) => r.resourceType === 'Organization');
  t.same(validateProfile(organization, `${KINGA}/StructureDefinition/kinga-organization`), []);
  t.not(
    validateProfile(
      JSON.parse(readFileSync(path.join(FIXTURES, 'group-example-1.json'), 'utf8')),
      `${KINGA}/StructureDefinition/kinga-group`,
    ).length,
    0,
    'the raw group fixture is not accepted (type Person, actual "True")',
  );
});

t.test("Kinga's profiles: what the registers need, nothing more", async (t) => {
  const patient = `${KINGA}/StructureDefinition/kinga-patient`;
  t.same(
    validateProfile(
      { resourceType: 'Patient', identifier: [{ value: '1' }], name: [{ family: 'A', given: ['B'] }] },
      patient,
    ),
    [],
    'a plain R4 Patient',
  );
  t.same(expressions(validateProfile({ resourceType: 'Patient', name: [{ family: 'A' }] }, patient)), [
    'Patient.identifier',
    'Patient.name[0].given',
  ]);
  const location = { resourceType: 'Location', identifier: [{ value: 'R1' }], name: 'North' } as Resource;
  t.same(validateProfile(location, `${KINGA}/StructureDefinition/kinga-location`), [
    { code: 'required', expression: 'Location.physicalType', message: 'Location type is required' },
  ]);
  const group = { resourceType: 'Group', type: 'person', actual: true } as Resource;
  t.same(expressions(validateProfile(group, `${KINGA}/StructureDefinition/kinga-group`)), ['Group.member']);
  t.throws(() => validateProfile(location, `${KINGA}/StructureDefinition/unknown`));
});
