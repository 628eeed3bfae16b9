import { clearedSql } from '../../domain/payment/premium-clearing.ts';
import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';
import { RECEIPT_SYSTEM } from '../shared/policy-values.ts';
import { PAYMENT_STATUS_SYSTEM } from './payment-notice.mapper.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** The published status: a payment a reversal compensates is cancelled. */
const STATUS_COLUMN =
  "(case when exists (select 1 from premium r where r.counterpart_id = t.id and r.kind = 'reversal' and r.deleted_at is null) then 'cancelled' else 'active' end)";

/** The published paymentStatus (payment-notice.mapper.ts): mobile money is paid until reconciled. */
const PAYMENT_STATUS_COLUMN = `(case when t.kind = 'payment' and t.pay_type = 'M' and not ${clearedSql('t')} then 'paid' else 'cleared' end)`;

/** PaymentNotice search parameters over the premium ledger (alias t). */
export function paymentNoticeSearchParams(): SearchParamDefinition[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description: 'The receipt number (system …/NamingSystem/premium-receipt, or none), or the UUID',
      expression: 'PaymentNotice.identifier',
      definition: `${STANDARD}PaymentNotice-identifier`,
      token: [
        { system: RECEIPT_SYSTEM, matchesSystemless: true, column: 't.receipt' },
        { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
      ],
      sortColumn: 't.receipt',
    },
    {
      code: 'request',
      type: 'reference',
      description: 'The policy paid for (Contract)',
      expression: 'PaymentNotice.request',
      definition: `${STANDARD}PaymentNotice-request`,
      columns: ['t.policy_id'],
      targets: ['Contract'],
      includable: true,
    },
    {
      code: 'status',
      type: 'token',
      description: 'active, or cancelled for a reversed payment',
      expression: 'PaymentNotice.status',
      definition: `${STANDARD}PaymentNotice-status`,
      token: [{ system: 'http://hl7.org/fhir/fm-status', matchesSystemless: true, column: STATUS_COLUMN }],
    },
    {
      code: 'payment-status',
      type: 'token',
      description:
        'paid: a mobile-money payment no provider statement has shown yet; cleared: received by the scheme',
      expression: 'PaymentNotice.paymentStatus',
      definition: `${STANDARD}PaymentNotice-payment-status`,
      token: [{ system: PAYMENT_STATUS_SYSTEM, matchesSystemless: true, column: PAYMENT_STATUS_COLUMN }],
    },
    {
      code: 'created',
      type: 'date',
      description: 'When the premium was recorded',
      expression: 'PaymentNotice.created',
      definition: `${STANDARD}PaymentNotice-created`,
      columns: ['t.created_at'],
      dateKind: 'instant',
      sortColumn: 't.created_at',
    },
    {
      code: 'payment-date',
      type: 'date',
      description: 'When the premium was paid',
      expression: 'PaymentNotice.paymentDate',
      definition: `${KINGA}/SearchParameter/PaymentNotice-payment-date`,
      columns: ['t.pay_date'],
      dateKind: 'date',
      sortColumn: 't.pay_date',
    },
  ];
}
