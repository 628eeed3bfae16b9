import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';
import { DHIS2_CODE_SYSTEM, DHIS2_UID_SYSTEM } from '../shared/dhis2-identifiers.ts';
import { LOCATION_CODE_SYSTEM, LOCATION_TYPE_SYSTEM } from './location.mapper.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** Location search parameters, each bound to a column of the location register (alias t). */
export const locationSearchParams: SearchParamDefinition[] = [
  {
    code: 'identifier',
    type: 'token',
    description: `Location code (system optional), or its UUID; its DHIS2 org unit by ${DHIS2_UID_SYSTEM} or ${DHIS2_CODE_SYSTEM}`,
    expression: 'Location.identifier',
    definition: `${STANDARD}Location-identifier`,
    token: [
      { system: LOCATION_CODE_SYSTEM, matchesSystemless: true, column: 't.code' },
      { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
      { system: DHIS2_UID_SYSTEM, column: 't.dhis2_uid' },
      { system: DHIS2_CODE_SYSTEM, column: 't.dhis2_code' },
    ],
    sortColumn: 't.code',
  },
  {
    code: 'name',
    type: 'string',
    description: 'Name: starts with, ignoring case and accents',
    expression: 'Location.name',
    definition: `${STANDARD}Location-name`,
    columns: ['t.name'],
    sortColumn: 't.name',
  },
  {
    // FHIR's Location-type searches Location.type (a service type), which Kinga does not fill; the
    // administrative level openIMIS clients filter on is in physicalType.
    code: 'type',
    type: 'token',
    description: `Administrative level, from Location.physicalType (${LOCATION_TYPE_SYSTEM}): R region, D district, W municipality/ward, V village`,
    expression: 'Location.physicalType',
    definition: `${KINGA}/SearchParameter/Location-physical-type`,
    token: [{ system: LOCATION_TYPE_SYSTEM, matchesSystemless: true, column: 't.type' }],
    sortColumn: 't.type',
  },
  {
    code: 'partof',
    type: 'reference',
    description: 'The location one level up',
    expression: 'Location.partOf',
    definition: `${STANDARD}Location-partof`,
    columns: ['t.parent_id'],
    targets: ['Location'],
    includable: true,
  },
];
