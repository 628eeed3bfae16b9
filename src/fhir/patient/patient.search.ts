import type { Config } from '../../platform/config/config.ts';
import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** Patient search parameters, each bound to a column of the insuree register (alias t). */
export function patientSearchParams(config: Config): SearchParamDefinition[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description: 'Insurance number (system optional), or urn:ietf:rfc:3986|urn:uuid:<id>',
      expression: 'Patient.identifier',
      definition: `${STANDARD}Patient-identifier`,
      token: [
        { system: config.INSURANCE_NUMBER_SYSTEM, matchesSystemless: true, column: 't.insurance_number' },
        {
          system: 'urn:ietf:rfc:3986',
          column: 't.id',
          columnType: 'uuid',
          transform: (v) => (v.startsWith('urn:uuid:') ? v.slice(9) : undefined),
        },
      ],
      sortColumn: 't.insurance_number',
    },
    {
      code: 'name',
      type: 'string',
      description: 'Family or given name: starts with, ignoring case and accents',
      expression: 'Patient.name',
      definition: `${STANDARD}individual-name`,
      columns: ['t.last_name', 't.other_names'],
      sortColumn: 't.last_name',
    },
    {
      code: 'family',
      type: 'string',
      description: 'Family name',
      expression: 'Patient.name.family',
      definition: `${STANDARD}individual-family`,
      columns: ['t.last_name'],
      sortColumn: 't.last_name',
    },
    {
      code: 'given',
      type: 'string',
      description: 'Given (other) names',
      expression: 'Patient.name.given',
      definition: `${STANDARD}individual-given`,
      columns: ['t.other_names'],
      sortColumn: 't.other_names',
    },
    {
      code: 'birthdate',
      type: 'date',
      description: 'Date of birth',
      expression: 'Patient.birthDate',
      definition: `${STANDARD}individual-birthdate`,
      columns: ['t.birth_date'],
      dateKind: 'date',
      sortColumn: 't.birth_date',
    },
    {
      code: 'gender',
      type: 'token',
      description: 'male | female | other',
      expression: 'Patient.gender',
      definition: `${STANDARD}individual-gender`,
      token: [
        {
          system: 'http://hl7.org/fhir/administrative-gender',
          matchesSystemless: true,
          column: 't.gender',
          codes: { male: 'M', female: 'F', other: 'O' },
        },
      ],
      sortColumn: 't.gender',
    },
    {
      code: 'phone',
      type: 'token',
      description: 'Phone number, as registered',
      expression: "Patient.telecom.where(system='phone')",
      definition: `${STANDARD}individual-phone`,
      token: [{ matchesSystemless: true, column: 't.phone' }],
    },
    {
      code: 'email',
      type: 'token',
      description: 'E-mail address',
      expression: "Patient.telecom.where(system='email')",
      definition: `${STANDARD}individual-email`,
      token: [{ matchesSystemless: true, column: 't.email' }],
    },
    {
      code: 'general-practitioner',
      type: 'reference',
      description: "The insuree's first point of service (a health facility)",
      expression: 'Patient.generalPractitioner',
      definition: `${STANDARD}Patient-general-practitioner`,
      columns: ['t.first_service_point_id'],
      targets: ['Organization'],
      includable: true,
    },
    {
      code: 'group',
      type: 'reference',
      description: "The insuree's family (Group)",
      expression: `Patient.extension('https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/patient-group-reference').value`,
      definition: `${KINGA}/SearchParameter/Patient-group`,
      columns: ['t.family_id'],
      targets: ['Group'],
      includable: true,
    },
  ];
}
