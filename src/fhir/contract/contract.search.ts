import { sql } from '../../platform/database/sql.ts';
import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';
import { POLICY_IDENTIFIER_SYSTEM, PolicyCodeSystems, PolicyExtensions } from '../shared/policy-values.ts';
import { ContractCodeSystems, contractStatusOf } from './contract.terms.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** The published status (contractStatusOf) from the policy's. */
const STATUS_COLUMN = `(case t.status ${Object.entries(contractStatusOf)
  .map(([status, code]) => `when '${status}' then '${code}'`)
  .join(' ')} end)`;

/** Contract search parameters over the policy register (alias t). */
export function contractSearchParams(): SearchParamDefinition[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description: 'The policy id (system …/NamingSystem/policy, or none)',
      expression: 'Contract.identifier',
      definition: `${STANDARD}Contract-identifier`,
      token: [
        { system: POLICY_IDENTIFIER_SYSTEM, matchesSystemless: true, column: 't.id', columnType: 'uuid' },
      ],
    },
    {
      code: 'subject',
      type: 'reference',
      description: 'The insured family (Group)',
      expression: 'Contract.subject',
      definition: `${STANDARD}Contract-subject`,
      columns: ['t.family_id'],
      targets: ['Group'],
      includable: true,
    },
    {
      code: 'patient',
      type: 'reference',
      description: 'A member the policy covers (Patient)',
      expression: 'Contract.term.asset.typeReference',
      definition: `${STANDARD}Contract-patient`,
      targets: ['Patient'],
      referencePredicate: (ids) =>
        sql`t.id in (select ip.policy_id from insuree_policy ip where ip.insuree_id = any(${ids}::uuid[]) and ip.deleted_at is null)`,
    },
    {
      code: 'status',
      type: 'token',
      description: 'offered | executable | executed | disputed | terminated (contract-status)',
      expression: 'Contract.status',
      definition: `${STANDARD}Contract-status`,
      token: [{ system: ContractCodeSystems.status, matchesSystemless: true, column: STATUS_COLUMN }],
    },
    {
      code: 'policy-status',
      type: 'token',
      description: 'The exact policy status: idle, ready, active, suspended, expired',
      expression: `Contract.extension('${PolicyExtensions.status}').value`,
      definition: `${KINGA}/SearchParameter/Contract-policy-status`,
      token: [{ system: PolicyCodeSystems.status, matchesSystemless: true, column: 't.status::text' }],
    },
    {
      code: 'issued',
      type: 'date',
      description: 'The enrolment (or renewal) date',
      expression: 'Contract.issued',
      definition: `${STANDARD}Contract-issued`,
      columns: ['t.enrol_date'],
      dateKind: 'date',
      sortColumn: 't.enrol_date',
    },
    {
      code: 'author',
      type: 'reference',
      description: 'The enrolment officer (Practitioner)',
      expression: 'Contract.author',
      definition: `${KINGA}/SearchParameter/Contract-author`,
      columns: ['t.officer_id'],
      targets: ['Practitioner'],
    },
    {
      code: 'insurance-plan',
      type: 'reference',
      description: 'The product (InsurancePlan)',
      expression: 'Contract.term.asset.valuedItem.entityReference',
      definition: `${KINGA}/SearchParameter/Contract-insurance-plan`,
      columns: ['t.product_id'],
      targets: ['InsurancePlan'],
      includable: true,
    },
  ];
}
