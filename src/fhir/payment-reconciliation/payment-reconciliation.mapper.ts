import type { Extension, PaymentReconciliation, PaymentReconciliationDetail } from '@medplum/fhirtypes';
import type { PaymentProvider } from '../../domain/payment/payment-event.ts';
import type {
  PaymentReconciliationLine,
  PaymentReconciliationRun,
  ReconciliationLineStatus,
} from '../../domain/payment/payment-reconciliation.entity.ts';
import { compact, concept, reference, uuidIdentifier } from '../shared/fhir-values.ts';
import { KINGA, kingaCodeSystem, kingaExtension, kingaProfile } from '../shared/openimis.ts';
import { fhirMoney, insurerReference } from '../shared/policy-values.ts';
import type { SchemeInsurer } from '../shared/scheme-insurer.ts';

export const PAYMENT_RECONCILIATION_PROFILE = kingaProfile('kinga-payment-reconciliation');
export const RECONCILIATION_LINE_STATUS_SYSTEM = kingaCodeSystem('reconciliation-line-status');
/** The provider's own transaction id (M-Pesa receipt, MTN financial transaction id, …). */
export const PROVIDER_TRANSACTION_SYSTEM = `${KINGA}/NamingSystem/provider-transaction`;
/** A statement: `<provider>/<date>`. */
export const PROVIDER_STATEMENT_SYSTEM = `${KINGA}/NamingSystem/provider-statement`;
const PAYMENT_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/payment-type';

export const PaymentReconciliationExtensions = {
  lineStatus: kingaExtension('reconciliation-line-status'),
  kingaAmount: kingaExtension('reconciliation-kinga-amount'),
} as const;

export const lineStatusDisplays: Record<ReconciliationLineStatus, string> = {
  matched: 'Matched',
  'amount-mismatch': 'Amount differs',
  unallocated: 'Received, not allocated',
  'missing-in-kinga': 'Not received by Kinga',
  'missing-in-statement': 'Not on the statement',
};

const providerNames: Record<PaymentProvider, string> = {
  mpesa: 'Safaricom M-Pesa',
  mtn: 'MTN Mobile Money',
  airtel: 'Airtel Money',
  mojaloop: 'Mojaloop',
  generic: 'Payment gateway',
};

export interface RunView {
  run: PaymentReconciliationRun;
  lines: PaymentReconciliationLine[];
  insurer: SchemeInsurer | null;
}

/**
 * A reconciliation run → PaymentReconciliation: the provider's statement of one day (paymentDate,
 * paymentAmount its total, paymentIssuer the provider), reconciled by the scheme's insurer
 * (requestor). outcome complete when every line matched and Kinga has nothing the statement left
 * off, else partial. One detail per line (type payment): identifier the provider's transaction id,
 * request the policy (Contract), response Kinga's record of the payment (PaymentNotice), amount the
 * statement's (Kinga's when the statement has none); the line status and Kinga's amount are
 * extensions, R4 having no element for either. A run superseded by a later import of the same
 * statement is cancelled, naming its successor.
 */
export function runToPaymentReconciliation(view: RunView): PaymentReconciliation {
  const { run, lines, insurer } = view;
  const currency = run.currency;
  return compact<PaymentReconciliation>({
    resourceType: 'PaymentReconciliation',
    meta: { profile: [PAYMENT_RECONCILIATION_PROFILE] },
    identifier: [uuidIdentifier(run.id)],
    status: run.status === 'current' ? 'active' : 'cancelled',
    period: { start: run.statementDate, end: run.statementDate },
    created: run.createdAt.toISOString(),
    paymentIssuer: { display: providerNames[run.provider] },
    requestor: insurerReference(insurer) as PaymentReconciliation['requestor'],
    outcome: run.isComplete() ? 'complete' : 'partial',
    disposition: summary(run),
    paymentDate: run.statementDate,
    paymentAmount: fhirMoney(run.statementTotal, currency),
    paymentIdentifier: { system: PROVIDER_STATEMENT_SYSTEM, value: `${run.provider}/${run.statementDate}` },
    detail: lines.map((line) => detailOf(line, currency)),
    processNote: run.supersededBy
      ? [
          {
            type: 'display',
            text: `Replaced by a later import of the same statement: PaymentReconciliation/${run.supersededBy}`,
          },
        ]
      : undefined,
  });
}

function detailOf(line: PaymentReconciliationLine, currency: string): PaymentReconciliationDetail {
  const extension: Extension[] = [
    {
      url: PaymentReconciliationExtensions.lineStatus,
      valueCoding: {
        system: RECONCILIATION_LINE_STATUS_SYSTEM,
        code: line.status,
        display: lineStatusDisplays[line.status],
      },
    },
  ];
  if (line.kingaAmount != null) {
    extension.push({
      url: PaymentReconciliationExtensions.kingaAmount,
      valueMoney: fhirMoney(line.kingaAmount, currency),
    });
  }
  const amount = line.statementAmount ?? line.kingaAmount;
  return compact<PaymentReconciliationDetail>({
    extension,
    identifier: { system: PROVIDER_TRANSACTION_SYSTEM, value: line.providerTxnId },
    type: concept(PAYMENT_TYPE_SYSTEM, 'payment', 'Payment'),
    request: reference('Contract', line.policyId),
    response: reference('PaymentNotice', line.premiumId),
    date: line.statementDate ?? line.kingaDate ?? undefined,
    amount: amount == null ? undefined : fhirMoney(amount, currency),
  });
}

/** "4 lines on the statement (…): 1 matched, …; 1 payment of Kinga's not on it." */
function summary(run: PaymentReconciliationRun): string {
  const parts = [
    [run.matched, 'matched'],
    [run.amountMismatch, 'with another amount in Kinga'],
    [run.unallocated, 'received but not allocated'],
    [run.missingInKinga, 'never received by Kinga'],
  ] as const;
  const counted = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  const statement = `${run.statementLines} line${run.statementLines === 1 ? '' : 's'} on the statement${
    counted.length > 0 ? `: ${counted.join(', ')}` : ''
  }`;
  const leftOff = run.missingInStatement;
  return `${statement}; ${leftOff} payment${leftOff === 1 ? '' : 's'} of Kinga's not on it.`;
}
