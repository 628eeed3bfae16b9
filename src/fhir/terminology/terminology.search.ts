import type { SearchParamDefinition } from '../search/search-param.ts';
import { DIAGNOSES_CODE_SYSTEM, DIAGNOSES_VALUE_SET } from './diagnoses.mapper.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/**
 * Search by canonical URL, title and status. The url parameter is a uri in FHIR; Kinga matches it
 * exactly, as a token whose code is the whole URL (`?url=https://kinga.health/fhir/...`).
 */
export function terminologySearchParams(
  type: 'CodeSystem' | 'ValueSet',
  titleColumn: string,
): SearchParamDefinition[] {
  const url = type === 'CodeSystem' ? DIAGNOSES_CODE_SYSTEM : DIAGNOSES_VALUE_SET;
  return [
    {
      code: 'url',
      type: 'token',
      description: 'Canonical URL, matched exactly',
      expression: `${type}.url`,
      token: [{ matchesSystemless: true, column: `'${url}'` }],
    },
    {
      code: 'title',
      type: 'string',
      description: 'Title: starts with, ignoring case and accents',
      expression: `${type}.title`,
      definition: `${STANDARD}conformance-title`,
      columns: [titleColumn],
    },
    {
      code: 'status',
      type: 'token',
      description: 'active',
      expression: `${type}.status`,
      definition: `${STANDARD}conformance-status`,
      token: [
        { system: 'http://hl7.org/fhir/publication-status', matchesSystemless: true, column: "'active'" },
      ],
    },
  ];
}
