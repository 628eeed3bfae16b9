import type { Config } from '../../platform/config/config.ts';
import { sql } from '../../platform/database/sql.ts';
import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';
import { PRODUCT_CODE_SYSTEM } from './insurance-plan.terms.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/**
 * The published status, from the underwriting window and the scheme's calendar day (as the
 * mapper), so a search agrees with the resource even before its republication
 * (republish-plan-status.ts). The zone is the operator's setting, quoted as a SQL literal.
 */
function statusColumn(timeZone: string): string {
  const today = `(now() at time zone '${timeZone.replaceAll("'", "''")}')::date`;
  return `(case when ${today} < t.date_from then 'draft' when ${today} > t.date_to then 'retired' else 'active' end)`;
}

/** InsurancePlan search parameters over the product register (alias t). */
export function insurancePlanSearchParams(config: Config): SearchParamDefinition[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description: 'Product code (system optional), or its UUID',
      expression: 'InsurancePlan.identifier',
      definition: `${STANDARD}InsurancePlan-identifier`,
      token: [
        { system: PRODUCT_CODE_SYSTEM, matchesSystemless: true, column: 't.code' },
        { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
      ],
      sortColumn: 't.code',
    },
    {
      code: 'name',
      type: 'string',
      description: 'Name: starts with, ignoring case and accents',
      expression: 'InsurancePlan.name',
      definition: `${STANDARD}InsurancePlan-name`,
      columns: ['t.name'],
      sortColumn: 't.name',
    },
    {
      code: 'status',
      type: 'token',
      description: 'draft (not yet sold), active (sold today) or retired (no longer sold)',
      expression: 'InsurancePlan.status',
      definition: `${STANDARD}InsurancePlan-status`,
      token: [
        {
          system: 'http://hl7.org/fhir/publication-status',
          matchesSystemless: true,
          column: statusColumn(config.SCHEME_TIME_ZONE),
        },
      ],
    },
    {
      // InsurancePlan has no standard period parameter; each end is searched on its own, so "sold
      // on D" is period-start=leD&period-end=geD.
      code: 'period-start',
      type: 'date',
      description: 'First day the product is sold (InsurancePlan.period.start)',
      expression: 'InsurancePlan.period.start',
      definition: `${KINGA}/SearchParameter/InsurancePlan-period-start`,
      columns: ['t.date_from'],
      dateKind: 'date',
      sortColumn: 't.date_from',
    },
    {
      code: 'period-end',
      type: 'date',
      description: 'Last day the product is sold (InsurancePlan.period.end)',
      expression: 'InsurancePlan.period.end',
      definition: `${KINGA}/SearchParameter/InsurancePlan-period-end`,
      columns: ['t.date_to'],
      dateKind: 'date',
      sortColumn: 't.date_to',
    },
    {
      code: 'coverage-area',
      type: 'reference',
      description: 'The region or district the product is sold in (national products have none)',
      expression: 'InsurancePlan.coverageArea',
      definition: `${KINGA}/SearchParameter/InsurancePlan-coverage-area`,
      columns: ['t.location_id'],
      targets: ['Location'],
      includable: true,
    },
    {
      code: 'covered',
      type: 'reference',
      description: 'A medical item (Medication) or service (ActivityDefinition) the product covers',
      expression: `InsurancePlan.coverage.extension('${KINGA}/StructureDefinition/insurance-plan-covered').value`,
      definition: `${KINGA}/SearchParameter/InsurancePlan-covered`,
      targets: ['Medication', 'ActivityDefinition'],
      referencePredicate: (ids) =>
        sql`t.id in (select c.product_id from product_coverage c where c.item_id = any(${ids}::uuid[]) or c.service_id = any(${ids}::uuid[]))`,
    },
  ];
}
