import type { TestApp } from './test-app.ts';
import { unique } from './test-app.ts';

/** Builders of scheme data through the API, for the officer, number-block and card tests. */

export const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
export const CODE_TYPE = { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] };
export const QUALIFICATION = `${IG}/CodeSystem/practitioner-qualification-type`;
export const SUBSTITUTE_EXTENSION = `${IG}/StructureDefinition/practitioner-role-substitution-reference`;

export async function created(
  kinga: TestApp,
  url: string,
  body: unknown,
  method: 'POST' | 'PUT' = 'POST',
): Promise<any> {
  const res = await kinga.fhir({ method, url: `/fhir/R4/${url}`, body });
  if (res.status !== 201) {
    throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export async function location(kinga: TestApp, type: 'R' | 'D' | 'W' | 'V', parentId?: string): Promise<any> {
  return created(kinga, 'Location', {
    resourceType: 'Location',
    identifier: [{ type: CODE_TYPE, value: unique(`L${type}`) }],
    name: unique(`Place ${type} `),
    physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
    ...(parentId ? { partOf: { reference: `Location/${parentId}` } } : {}),
  });
}

/** A region with one district, one ward and `villages` villages. */
export async function area(
  kinga: TestApp,
  villages = 2,
): Promise<{ district: any; ward: any; villages: any[] }> {
  const region = await location(kinga, 'R');
  const district = await location(kinga, 'D', region.id);
  const ward = await location(kinga, 'W', district.id);
  const list = [];
  for (let i = 0; i < villages; i++) {
    list.push(await location(kinga, 'V', ward.id));
  }
  return { district, ward, villages: list };
}

export async function facility(kinga: TestApp, districtId: string, code = unique('HF')): Promise<any> {
  const concept = (cs: string, code: string) => ({ coding: [{ system: `${IG}/CodeSystem/${cs}`, code }] });
  return created(kinga, 'Organization', {
    resourceType: 'Organization',
    extension: [
      {
        url: `${IG}/StructureDefinition/organization-legal-form`,
        valueCodeableConcept: concept('organization-legal-form', 'G'),
      },
      {
        url: `${IG}/StructureDefinition/organization-hf-level`,
        valueCodeableConcept: concept('organization-hf-level', 'H'),
      },
      {
        url: `${IG}/StructureDefinition/organization-hf-care-type`,
        valueCodeableConcept: concept('organization-hf-care-type', 'B'),
      },
    ],
    identifier: [{ type: CODE_TYPE, value: code }],
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] }],
    name: 'Ultha Health Centre',
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
  });
}

export function practitioner(
  role: 'EO' | 'CA',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    resourceType: 'Practitioner',
    identifier: [{ type: CODE_TYPE, value: unique(role) }],
    name: [{ use: 'usual', family: 'Mwakyusa', given: ['Neema'] }],
    telecom: [{ system: 'phone', value: '+255 700 000 001' }],
    qualification: [{ code: { coding: [{ system: QUALIFICATION, code: role }] } }],
    ...extra,
  };
}

/** An enrolment officer serving `villageIds`, through Practitioner then PractitionerRole. */
export async function enrolmentOfficer(kinga: TestApp, villageIds: string[] = []): Promise<any> {
  const officer = await created(kinga, 'Practitioner', practitioner('EO'));
  if (villageIds.length > 0) {
    const res = await kinga.fhir({
      method: 'PUT',
      url: `/fhir/R4/PractitionerRole/${officer.id}`,
      body: {
        resourceType: 'PractitionerRole',
        id: officer.id,
        practitioner: { reference: `Practitioner/${officer.id}` },
        location: villageIds.map((id) => ({ reference: `Location/${id}` })),
      },
    });
    if (res.status !== 200) {
      throw new Error(`PractitionerRole: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  return officer;
}
