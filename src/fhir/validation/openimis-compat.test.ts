import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { Resource } from '@medplum/fhirtypes';
import { validateBase } from './base-schema.ts';
import { normaliseOpenImis } from './openimis-compat.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/openimis');
const fixture = (name: string): any => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';

t.test('the patient, group and location fixtures are valid R4 once normalised', async (t) => {
  for (const name of ['patient-example-1.json', 'group-example-1.json', 'location-example-1.json']) {
    t.same(validateBase(normaliseOpenImis(fixture(name) as Resource)), [], name);
  }
  t.not(validateBase(fixture('group-example-1.json')).length, 0, 'the raw group fixture is not');
});

t.test('the input is never changed', async (t) => {
  const group = fixture('group-example-1.json');
  const before = structuredClone(group);
  const normalised = normaliseOpenImis(group);
  t.same(group, before);
  t.not(normalised, group);
});

t.test('Group: "True" actual, capitalised type, relative group-type system', async (t) => {
  const group: any = normaliseOpenImis(fixture('group-example-1.json'));
  t.equal(group.actual, true);
  t.equal(group.type, 'person');
  const type = group.extension.find((e: any) => e.url === `${IG}/StructureDefinition/group-type`);
  t.same(type.valueCodeableConcept.coding[0], {
    system: `${IG}/CodeSystem/group-type`,
    code: 'H',
    display: 'Household',
  });
});

t.test('Patient: relative systems, marital status page, photo file suffix', async (t) => {
  const patient: any = normaliseOpenImis(fixture('patient-example-1.json'));
  const byUrl = (url: string): any => patient.extension.find((e: any) => e.url === url);
  t.equal(
    byUrl(`${IG}/StructureDefinition/patient-profession`).valueCodeableConcept.coding[0].system,
    `${IG}/CodeSystem/patient-profession`,
  );
  const identification = byUrl(`${IG}/StructureDefinition/patient-identification`);
  t.equal(
    identification.extension.find((e: any) => e.url === 'type').valueCodeableConcept.coding[0].system,
    `${IG}/CodeSystem/patient-identification-type`,
    'nested extensions too, with the id the IG publishes',
  );
  t.equal(patient.maritalStatus.coding[0].system, 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus');
  t.equal(patient.photo[0].contentType, 'image/png');
  t.equal(patient.photo[0].data, 'TESTTEST');
});

t.test('contained Organization: double slashes, relative legal form, type without system', async (t) => {
  const claim: any = normaliseOpenImis(fixture('claim-example-contained-1.json'));
  const organization = claim.contained.find((r: any) => r.resourceType === 'Organization');
  t.same(
    organization.extension.map((e: any) => [e.url, e.valueCodeableConcept.coding[0].system]),
    [
      [`${IG}/StructureDefinition/organization-legal-form`, `${IG}/CodeSystem/organization-legal-form`],
      [`${IG}/StructureDefinition/organization-hf-level`, `${IG}/CodeSystem/organization-hf-level`],
      [`${IG}/StructureDefinition/organization-hf-care-type`, `${IG}/CodeSystem/organization-hf-care-type`],
    ],
  );
  t.same(organization.type[0].coding[0], {
    system: 'http://terminology.hl7.org/CodeSystem/organization-type',
    code: 'prov',
  });
  const patient = claim.contained.find((r: any) => r.resourceType === 'Patient');
  t.equal(patient.photo[0].contentType, 'image/jpeg');
  const group = claim.contained.find((r: any) => r.resourceType === 'Group');
  t.equal(group.type, 'person');
});

t.test('double slashes are collapsed in primitive (_x) and nested extensions', async (t) => {
  const group: any = normaliseOpenImis({
    resourceType: 'Group',
    type: 'person',
    actual: true,
    _actual: { extension: [{ url: `${IG}//StructureDefinition/x`, valueString: 'y' }] },
    extension: [
      {
        url: `${IG}//StructureDefinition/group-confirmation`,
        extension: [{ url: `${IG}///StructureDefinition//inner`, valueString: '1' }],
      },
    ],
  } as Resource);
  t.equal(group._actual.extension[0].url, `${IG}/StructureDefinition/x`);
  t.equal(group.extension[0].url, `${IG}/StructureDefinition/group-confirmation`);
  t.equal(group.extension[0].extension[0].url, `${IG}/StructureDefinition/inner`);
});

t.test('boolean strings are converted only where R4 expects a boolean', async (t) => {
  const patient: any = normaliseOpenImis({
    resourceType: 'Patient',
    active: 'false',
    extension: [
      { url: `${IG}/StructureDefinition/patient-is-head`, valueBoolean: 'TRUE' },
      { url: `${IG}/StructureDefinition/address-municipality`, valueString: 'True' },
    ],
    name: [{ family: 'True', given: ['false'] }],
  } as unknown as Resource);
  t.equal(patient.active, false);
  t.equal(patient.extension[0].valueBoolean, true);
  t.equal(patient.extension[1].valueString, 'True', 'a string value stays a string');
  t.same(patient.name, [{ family: 'True', given: ['false'] }]);
});

t.test('URLs that are not the openIMIS IG are left alone', async (t) => {
  const patient: any = normaliseOpenImis({
    resourceType: 'Patient',
    extension: [{ url: 'http://example.org//StructureDefinition/x', valueString: 'a' }],
    identifier: [{ type: { coding: [{ system: 'urn:oid:1.2.3', code: 'X' }] }, value: '1' }],
  });
  t.equal(patient.extension[0].url, 'http://example.org//StructureDefinition/x');
  t.equal(patient.identifier[0].type.coding[0].system, 'urn:oid:1.2.3');
});
