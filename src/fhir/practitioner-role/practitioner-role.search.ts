import { sql } from '../../platform/database/sql.ts';
import type { IncludeQuery } from '../core/resource-module.ts';
import { officerIdentifierParam } from '../practitioner/practitioner.search.ts';
import { QUALIFICATION_SYSTEM } from '../practitioner/practitioner.mapper.ts';
import type { SearchParamDefinition } from '../search/search-param.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** PractitionerRole search parameters over the officer register (alias t); villages are in officer_village. */
export const practitionerRoleSearchParams: SearchParamDefinition[] = [
  officerIdentifierParam('PractitionerRole'),
  {
    code: 'practitioner',
    type: 'reference',
    description: 'The officer (Practitioner); a role has the id of its Practitioner',
    expression: 'PractitionerRole.practitioner',
    definition: `${STANDARD}PractitionerRole-practitioner`,
    columns: ['t.id'],
    targets: ['Practitioner'],
    includable: true,
  },
  {
    code: 'role',
    type: 'token',
    description: 'EO (enrolment officer) or CA (claim administrator)',
    expression: 'PractitionerRole.code',
    definition: `${STANDARD}PractitionerRole-role`,
    token: [{ system: QUALIFICATION_SYSTEM, matchesSystemless: true, column: 't.role' }],
    sortColumn: 't.role',
  },
  {
    code: 'organization',
    type: 'reference',
    description: "A claim administrator's health facility",
    expression: 'PractitionerRole.organization',
    definition: `${STANDARD}PractitionerRole-organization`,
    columns: ['t.facility_id'],
    targets: ['Organization'],
    includable: true,
  },
  {
    code: 'location',
    type: 'reference',
    description: "An enrolment officer's district or one of their villages",
    expression: 'PractitionerRole.location',
    definition: `${STANDARD}PractitionerRole-location`,
    targets: ['Location'],
    referencePredicate: (ids) =>
      sql`(t.location_id = any(${ids}::uuid[]) or t.id in (select v.officer_id from officer_village v where v.location_id = any(${ids}::uuid[])))`,
    includable: true,
  },
];

/** _include=PractitionerRole:location: the districts and villages of the roles on the page. */
export const practitionerRoleIncludeQueries: Record<string, IncludeQuery> = {
  location: (officerIds) =>
    sql`select o.location_id as id from officer o where o.id = any(${officerIds}::uuid[]) and o.location_id is not null
        union select v.location_id as id from officer_village v where v.officer_id = any(${officerIds}::uuid[])`,
};
