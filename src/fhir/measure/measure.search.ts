import type { SearchParamDefinition, SearchTable } from '../search/search-param.ts';
import { DHIS2_CODE_SYSTEM } from '../shared/dhis2-identifiers.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/**
 * Measures are not a register: they are searched in their published form (fhir_resource), the
 * elements searched read from the stored JSON. `updated_at` is what _lastUpdated searches.
 */
export const measureSearchTable: SearchTable = {
  table: `(select id, last_updated as updated_at, deleted,
      content::jsonb ->> 'url' as url, content::jsonb ->> 'name' as name,
      content::jsonb ->> 'title' as title, content::jsonb ->> 'status' as status
    from fhir_resource where resource_type = 'Measure')`,
  live: 'not t.deleted',
};

export const measureSearchParams: SearchParamDefinition[] = [
  {
    code: 'url',
    type: 'token',
    description: 'Canonical URL, matched exactly',
    expression: 'Measure.url',
    definition: `${STANDARD}Measure-url`,
    token: [{ matchesSystemless: true, column: 't.url' }],
  },
  {
    code: 'identifier',
    type: 'token',
    description: `The DHIS2 data set code (${DHIS2_CODE_SYSTEM}, system optional)`,
    expression: 'Measure.identifier',
    definition: `${STANDARD}Measure-identifier`,
    token: [{ system: DHIS2_CODE_SYSTEM, matchesSystemless: true, column: 't.name' }],
  },
  {
    code: 'name',
    type: 'string',
    description: 'Computer-friendly name (the data set code): starts with, ignoring case',
    expression: 'Measure.name',
    definition: `${STANDARD}Measure-name`,
    columns: ['t.name'],
    sortColumn: 't.name',
  },
  {
    code: 'title',
    type: 'string',
    description: 'Title: starts with, ignoring case and accents',
    expression: 'Measure.title',
    definition: `${STANDARD}Measure-title`,
    columns: ['t.title'],
    sortColumn: 't.title',
  },
  {
    code: 'status',
    type: 'token',
    description: 'active',
    expression: 'Measure.status',
    definition: `${STANDARD}Measure-status`,
    token: [
      { system: 'http://hl7.org/fhir/publication-status', matchesSystemless: true, column: 't.status' },
    ],
  },
];
