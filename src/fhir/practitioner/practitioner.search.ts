import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';
import { OFFICER_CODE_SYSTEM, QUALIFICATION_SYSTEM } from './practitioner.mapper.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** The officer code (system optional) or the record id: shared by Practitioner and PractitionerRole. */
export function officerIdentifierParam(type: 'Practitioner' | 'PractitionerRole'): SearchParamDefinition {
  return {
    code: 'identifier',
    type: 'token',
    description: 'Officer code (system optional), or the UUID',
    expression: `${type}.identifier`,
    definition: `${STANDARD}${type}-identifier`,
    token: [
      { system: OFFICER_CODE_SYSTEM, matchesSystemless: true, column: 't.code' },
      { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
    ],
    sortColumn: 't.code',
  };
}

/** Practitioner search parameters over the officer register (alias t). */
export const practitionerSearchParams: SearchParamDefinition[] = [
  officerIdentifierParam('Practitioner'),
  {
    code: 'name',
    type: 'string',
    description: 'Family or given name: starts with, ignoring case and accents',
    expression: 'Practitioner.name',
    definition: `${STANDARD}Practitioner-name`,
    columns: ['t.last_name', 't.other_names'],
    sortColumn: 't.last_name',
  },
  {
    code: 'family',
    type: 'string',
    description: 'Family name',
    expression: 'Practitioner.name.family',
    definition: `${STANDARD}individual-family`,
    columns: ['t.last_name'],
    sortColumn: 't.last_name',
  },
  {
    code: 'given',
    type: 'string',
    description: 'Given (other) names',
    expression: 'Practitioner.name.given',
    definition: `${STANDARD}individual-given`,
    columns: ['t.other_names'],
    sortColumn: 't.other_names',
  },
  {
    code: 'qualification',
    type: 'token',
    description: 'EO (enrolment officer) or CA (claim administrator)',
    expression: 'Practitioner.qualification.code',
    definition: `${KINGA}/SearchParameter/Practitioner-qualification`,
    token: [{ system: QUALIFICATION_SYSTEM, matchesSystemless: true, column: 't.role' }],
    sortColumn: 't.role',
  },
];
