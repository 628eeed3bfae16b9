import type { Config } from '../../platform/config/config.ts';
import { raw, sql } from '../../platform/database/sql.ts';
import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';
import {
  POLICY_IDENTIFIER_SYSTEM,
  PolicyCodeSystems,
  PolicyExtensions,
  SCHEME_INSURER_ID_SQL,
} from '../shared/policy-values.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

const policyColumn = (expression: string): string =>
  `(select ${expression} from policy p where p.id = t.policy_id)`;

/** The published status (coverage.mapper.ts coverageStatus), from the policy and the member's cover. */
const STATUS_COLUMN = policyColumn(
  "case when p.status = 'active' and t.effective_date is not null then 'active' when p.status in ('suspended', 'expired') then 'cancelled' else 'draft' end",
);

/** Policies whose family is headed by one of the ids. */
const headedBy = (ids: string[]) =>
  sql`t.policy_id in (select p.id from policy p join family f on f.id = p.family_id where f.head_id = any(${ids}::uuid[]))`;

/** Coverage search parameters over the member cover register (insuree_policy, alias t). */
export function coverageSearchParams(config: Config): SearchParamDefinition[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description:
        "The member's insurance number, the policy id (system …/NamingSystem/policy), or the cover's UUID",
      expression: 'Coverage.identifier',
      definition: `${STANDARD}Coverage-identifier`,
      token: [
        {
          system: config.INSURANCE_NUMBER_SYSTEM,
          matchesSystemless: true,
          column: '(select i.insurance_number from insuree i where i.id = t.insuree_id)',
        },
        { system: POLICY_IDENTIFIER_SYSTEM, column: 't.policy_id', columnType: 'uuid' },
        { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
      ],
    },
    {
      code: 'beneficiary',
      type: 'reference',
      description: 'The insured member (Patient)',
      expression: 'Coverage.beneficiary',
      definition: `${STANDARD}Coverage-beneficiary`,
      columns: ['t.insuree_id'],
      targets: ['Patient'],
      includable: true,
    },
    {
      code: 'patient',
      type: 'reference',
      description: 'The insured member (Patient), as beneficiary',
      expression: 'Coverage.beneficiary',
      definition: `${STANDARD}Coverage-patient`,
      columns: ['t.insuree_id'],
      targets: ['Patient'],
    },
    {
      code: 'subscriber',
      type: 'reference',
      description: "The head of the member's family (Patient)",
      expression: 'Coverage.subscriber',
      definition: `${STANDARD}Coverage-subscriber`,
      targets: ['Patient'],
      referencePredicate: headedBy,
    },
    {
      code: 'policy-holder',
      type: 'reference',
      description: "The head of the member's family (Patient), who holds the policy",
      expression: 'Coverage.policyHolder',
      definition: `${STANDARD}Coverage-policy-holder`,
      targets: ['Patient'],
      referencePredicate: headedBy,
    },
    {
      code: 'payor',
      type: 'reference',
      description: "The scheme's insurer (Organization): every cover it pays for",
      expression: 'Coverage.payor',
      definition: `${STANDARD}Coverage-payor`,
      targets: ['Organization'],
      referencePredicate: (ids) => sql`${raw(SCHEME_INSURER_ID_SQL)} = any(${ids}::uuid[])`,
    },
    {
      code: 'status',
      type: 'token',
      description: "active | draft | cancelled (fm-status), from the policy's status and the member's cover",
      expression: 'Coverage.status',
      definition: `${STANDARD}Coverage-status`,
      token: [{ system: 'http://hl7.org/fhir/fm-status', matchesSystemless: true, column: STATUS_COLUMN }],
    },
    {
      code: 'policy-status',
      type: 'token',
      description: 'The exact policy status: idle, ready, active, suspended, expired',
      expression: `Coverage.extension('${PolicyExtensions.status}').value`,
      definition: `${KINGA}/SearchParameter/Coverage-policy-status`,
      token: [
        { system: PolicyCodeSystems.status, matchesSystemless: true, column: policyColumn('p.status::text') },
      ],
    },
    {
      code: 'class-value',
      type: 'token',
      description: 'The product code (Coverage.class plan value)',
      expression: 'Coverage.class.value',
      definition: `${STANDARD}Coverage-class-value`,
      token: [
        {
          matchesSystemless: true,
          column: policyColumn('(select pr.code from product pr where pr.id = p.product_id)'),
        },
      ],
    },
    {
      code: 'contract',
      type: 'reference',
      description: 'The policy (Contract) the cover belongs to',
      expression: 'Coverage.contract',
      definition: `${KINGA}/SearchParameter/Coverage-contract`,
      columns: ['t.policy_id'],
      targets: ['Contract'],
      includable: true,
    },
    {
      // Coverage has no standard period parameter; each end is searched on its own, so "covered
      // on D" is period-start=leD&period-end=geD (and status=active for cover in force).
      code: 'period-start',
      type: 'date',
      description: "First day of the member's cover period (Coverage.period.start)",
      expression: 'Coverage.period.start',
      definition: `${KINGA}/SearchParameter/Coverage-period-start`,
      columns: ['t.start_date'],
      dateKind: 'date',
      sortColumn: 't.start_date',
    },
    {
      code: 'period-end',
      type: 'date',
      description: "Last day of the member's cover period (Coverage.period.end)",
      expression: 'Coverage.period.end',
      definition: `${KINGA}/SearchParameter/Coverage-period-end`,
      columns: ['t.expiry_date'],
      dateKind: 'date',
      sortColumn: 't.expiry_date',
    },
  ];
}
