import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';
import {
  FACILITY_CODE_SYSTEM,
  INSURER_CODE_SYSTEM,
  ORGANIZATION_TYPE_SYSTEM,
  OrganizationExtensions,
} from './organization.mapper.ts';
import { DHIS2_CODE_SYSTEM, DHIS2_UID_SYSTEM } from '../shared/dhis2-identifiers.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** Organization search parameters, each bound to a column of the organisation register (alias t). */
export const organizationSearchParams: SearchParamDefinition[] = [
  {
    code: 'identifier',
    type: 'token',
    description: `Facility or insurer code (system optional), or its UUID; a facility's DHIS2 org unit by ${DHIS2_UID_SYSTEM} or ${DHIS2_CODE_SYSTEM}`,
    expression: 'Organization.identifier',
    definition: `${STANDARD}Organization-identifier`,
    token: [
      // Codes are unique across both kinds; each system answers for its own kind.
      { system: FACILITY_CODE_SYSTEM, column: "(case when t.kind = 'health-facility' then t.code end)" },
      { system: INSURER_CODE_SYSTEM, column: "(case when t.kind = 'insurer' then t.code end)" },
      { matchesSystemless: true, column: 't.code' },
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
    expression: 'Organization.name',
    definition: `${STANDARD}Organization-name`,
    columns: ['t.name'],
    sortColumn: 't.name',
  },
  {
    code: 'type',
    type: 'token',
    description: 'prov (health facility) or ins (insurer)',
    expression: 'Organization.type',
    definition: `${STANDARD}Organization-type`,
    token: [
      {
        system: ORGANIZATION_TYPE_SYSTEM,
        matchesSystemless: true,
        column: 't.kind',
        codes: { prov: 'health-facility', ins: 'insurer' },
      },
    ],
    sortColumn: 't.kind',
  },
  {
    code: 'partof',
    type: 'reference',
    description: 'The organisation this one is part of',
    expression: 'Organization.partOf',
    definition: `${STANDARD}Organization-partof`,
    columns: ['t.parent_id'],
    targets: ['Organization'],
    includable: true,
  },
  {
    code: 'address',
    type: 'string',
    description:
      'Any part of the address (text, city, district, state): starts with, ignoring case and accents',
    expression: 'Organization.address',
    definition: `${STANDARD}Organization-address`,
    columns: ['t.address_text', 't.city', 't.district', 't.state'],
  },
  {
    code: 'location',
    type: 'reference',
    description: 'The district the health facility is in',
    expression: `Organization.address.extension('${OrganizationExtensions.locationReference}').value`,
    definition: `${KINGA}/SearchParameter/Organization-location`,
    columns: ['t.location_id'],
    targets: ['Location'],
    includable: true,
  },
];
