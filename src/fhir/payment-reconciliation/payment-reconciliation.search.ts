import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** outcome as published (payment-reconciliation.mapper.ts): complete when nothing is left unmatched. */
const OUTCOME_SQL =
  "(case when t.matched = t.statement_lines and t.missing_in_statement = 0 then 'complete' else 'partial' end)";

/** PaymentReconciliation search parameters over the reconciliation runs (alias t). */
export function paymentReconciliationSearchParams(): SearchParamDefinition[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description: 'The UUID of the run',
      expression: 'PaymentReconciliation.identifier',
      definition: `${STANDARD}PaymentReconciliation-identifier`,
      token: [{ matchesSystemless: true, column: 't.id', columnType: 'uuid' }],
    },
    {
      code: 'status',
      type: 'token',
      description: "active: the day's result; cancelled: replaced by a later import of the same statement",
      expression: 'PaymentReconciliation.status',
      definition: `${STANDARD}PaymentReconciliation-status`,
      token: [
        {
          system: 'http://hl7.org/fhir/fm-status',
          matchesSystemless: true,
          column: 't.status',
          codes: { active: 'current', cancelled: 'superseded' },
        },
      ],
    },
    {
      code: 'outcome',
      type: 'token',
      description: 'complete (every line matched, nothing of Kinga left off) or partial',
      expression: 'PaymentReconciliation.outcome',
      definition: `${STANDARD}PaymentReconciliation-outcome`,
      token: [
        { system: 'http://hl7.org/fhir/remittance-outcome', matchesSystemless: true, column: OUTCOME_SQL },
      ],
    },
    {
      code: 'created',
      type: 'date',
      description: 'When the statement was imported',
      expression: 'PaymentReconciliation.created',
      definition: `${STANDARD}PaymentReconciliation-created`,
      columns: ['t.created_at'],
      dateKind: 'instant',
      sortColumn: 't.created_at',
    },
    {
      code: 'payment-date',
      type: 'date',
      description: 'The day of the statement',
      expression: 'PaymentReconciliation.paymentDate',
      definition: `${KINGA}/SearchParameter/PaymentReconciliation-payment-date`,
      columns: ['t.statement_date'],
      dateKind: 'date',
      sortColumn: 't.statement_date',
    },
  ];
}
