import type { Config } from '../../platform/config/config.ts';
import { sql } from '../../platform/database/sql.ts';
import type { IncludeQuery } from '../core/resource-module.ts';
import type { SearchParamDefinition } from '../search/search-param.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** Group search parameters over the family register (alias t); membership lives on insuree.family_id. */
export function groupSearchParams(config: Config): SearchParamDefinition[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description: "The head's insurance number (system optional), or the family's UUID",
      expression: 'Group.identifier',
      definition: `${STANDARD}Group-identifier`,
      token: [
        {
          system: config.INSURANCE_NUMBER_SYSTEM,
          matchesSystemless: true,
          column: '(select h.insurance_number from insuree h where h.id = t.head_id)',
        },
        { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
      ],
    },
    {
      code: 'member',
      type: 'reference',
      description: 'A live member of the family (Patient)',
      expression: 'Group.member.entity',
      definition: `${STANDARD}Group-member`,
      targets: ['Patient'],
      referencePredicate: (ids) =>
        sql`t.id in (select m.family_id from insuree m where m.id = any(${ids}::uuid[]) and m.deleted_at is null)`,
      includable: true,
    },
  ];
}

/** _include=Group:member: the live members of the families on the page. */
export const groupIncludeQueries: Record<string, IncludeQuery> = {
  member: (familyIds) =>
    sql`select m.id from insuree m where m.family_id = any(${familyIds}::uuid[]) and m.deleted_at is null`,
};
