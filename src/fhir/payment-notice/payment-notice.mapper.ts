import type { Extension, PaymentNotice } from '@medplum/fhirtypes';
import type { PremiumInput } from '../../domain/policy/record-premium.ts';
import type { Premium, PremiumKind } from '../../domain/policy/premium.entity.ts';
import type { MappingContext } from '../core/resource-module.ts';
import {
  codeFrom,
  compact,
  concept,
  findExtension,
  identifierTypeCode,
  profileViolation,
  referenceId,
  uuidIdentifier,
} from '../shared/fhir-values.ts';
import { extensionPath, kingaCodeSystem, kingaExtension, kingaProfile } from '../shared/openimis.ts';
import {
  amountSent,
  fhirMoney,
  insurerReference,
  payTypeConcept,
  payTypeOf,
  RECEIPT_SYSTEM,
} from '../shared/policy-values.ts';
import type { SchemeInsurer } from '../shared/scheme-insurer.ts';

export const PAYMENT_NOTICE_PROFILE = kingaProfile('kinga-payment-notice');
export const PAYMENT_STATUS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/paymentstatus';

export const PaymentNoticeExtensions = {
  kind: kingaExtension('premium-entry-kind'),
  payType: kingaExtension('premium-pay-type'),
  counterpart: kingaExtension('premium-counterpart'),
} as const;
export const PREMIUM_ENTRY_KIND_SYSTEM = kingaCodeSystem('premium-entry-kind');

const kindDisplays: Record<PremiumKind, string> = {
  payment: 'Payment',
  reversal: 'Reversal of a payment',
  'credit-out': 'Credit carried to the renewal',
  'credit-in': 'Credit carried from the renewed policy',
};

export const paymentNoticeFieldPaths: Record<string, string> = {
  policy: 'PaymentNotice.request',
  amount: 'PaymentNotice.amount',
  payDate: 'PaymentNotice.paymentDate',
  receipt: 'PaymentNotice.identifier',
  payType: extensionPath('PaymentNotice', PaymentNoticeExtensions.payType),
  premium: 'PaymentNotice',
  status: 'PaymentNotice.status',
  // The reversal's date (today) against the payment's.
  date: 'PaymentNotice.status',
};

/** One ledger entry as published, with the entry that compensates or mirrors it. */
export interface PremiumView {
  premium: Premium;
  /** For a payment: its reversal, once reversed. */
  reversal: Premium | undefined;
  insurer: SchemeInsurer | null;
  /** paid: a mobile-money payment no provider statement has shown yet; cleared: received. */
  paymentStatus: PaymentStatus;
}

export type PaymentStatus = 'paid' | 'cleared';
const paymentStatusDisplays: Record<PaymentStatus, string> = { paid: 'Paid', cleared: 'Cleared' };

/**
 * Premium ledger entry → PaymentNotice: receipt as identifier (and as the payment's reference,
 * which R4 requires; a statement that clears it is a PaymentReconciliation of its own), the
 * policy (Contract) as request, the insurer as payee and recipient. Every entry is one: a payment (cancelled once
 * reversed), its reversal (a negative amount, pointing at it), a credit carried to a renewal.
 * paymentStatus is cleared once the money has reached the scheme: a mobile-money payment is paid
 * until a provider's statement shows it (reconciliation), any other entry cleared when recorded.
 */
export function premiumToPaymentNotice(view: PremiumView, context: MappingContext): PaymentNotice {
  const { premium, reversal, insurer, paymentStatus } = view;
  const counterpart = premium.counterpart?.id ?? reversal?.id;
  const extension: Extension[] = [
    {
      url: PaymentNoticeExtensions.kind,
      valueCoding: {
        system: PREMIUM_ENTRY_KIND_SYSTEM,
        code: premium.kind,
        display: kindDisplays[premium.kind as PremiumKind],
      },
    },
    { url: PaymentNoticeExtensions.payType, valueCodeableConcept: payTypeConcept(premium.payType) },
  ];
  if (counterpart) {
    extension.push({
      url: PaymentNoticeExtensions.counterpart,
      valueReference: { reference: `PaymentNotice/${counterpart}` },
    });
  }
  const receipt = { system: RECEIPT_SYSTEM, value: premium.receipt };
  const payee = insurerReference(insurer) as NonNullable<PaymentNotice['payee']>;
  return compact<PaymentNotice>({
    resourceType: 'PaymentNotice',
    meta: { profile: [PAYMENT_NOTICE_PROFILE] },
    extension,
    identifier: [receipt, uuidIdentifier(premium.id)],
    status: reversal ? 'cancelled' : 'active',
    request: { reference: `Contract/${premium.policy.id}` },
    created: premium.createdAt.toISOString(),
    payment: { type: 'PaymentReconciliation', identifier: receipt, display: `Receipt ${premium.receipt}` },
    paymentDate: premium.payDate,
    payee,
    recipient: payee as PaymentNotice['recipient'],
    amount: fhirMoney(premium.amount, context.config.CURRENCY),
    paymentStatus: concept(PAYMENT_STATUS_SYSTEM, paymentStatus, paymentStatusDisplays[paymentStatus]),
  });
}

/** A PaymentNotice read as a premium to record (create) or as the state of one (update). */
export interface PaymentNoticeInput {
  id?: string;
  status: string;
  /** As sent: a premium recorded must have cleared; an update may repeat the paid it was read with. */
  paymentStatus?: PaymentStatus;
  premium: Omit<PremiumInput, 'id'>;
}

/** A premium sent that the scheme has not received: Kinga records only money received. */
export function notReceived(paymentStatus: string) {
  return profileViolation(
    PAYMENT_NOTICE_PROFILE,
    'PaymentNotice.paymentStatus',
    `Kinga records premiums the scheme has received (cleared), not ${paymentStatus}: send the payment once it has cleared`,
  );
}

export function paymentNoticeToInput(notice: PaymentNotice, context: MappingContext): PaymentNoticeInput {
  const policyId = referenceId(notice.request, 'Contract', 'PaymentNotice.request');
  const amount = amountSent(
    notice.amount,
    context.config.CURRENCY,
    PAYMENT_NOTICE_PROFILE,
    'PaymentNotice.amount',
  );
  if (!policyId || amount === undefined || !notice.paymentDate) {
    throw profileViolation(
      PAYMENT_NOTICE_PROFILE,
      !policyId
        ? 'PaymentNotice.request'
        : amount === undefined
          ? 'PaymentNotice.amount'
          : 'PaymentNotice.paymentDate',
      'A premium names the policy it pays (request: its Contract), its amount and its payment date',
      'required',
    );
  }
  const paymentStatus = codeFrom(notice.paymentStatus, [PAYMENT_STATUS_SYSTEM]);
  if (paymentStatus !== undefined && paymentStatus !== 'cleared' && paymentStatus !== 'paid') {
    throw notReceived(paymentStatus);
  }
  const receipt =
    notice.identifier?.find((i) => i.system === RECEIPT_SYSTEM) ??
    notice.identifier?.find((i) => i.system === undefined && identifierTypeCode(i) !== 'UUID');
  return {
    ...(notice.id ? { id: notice.id } : {}),
    status: notice.status,
    ...(paymentStatus ? { paymentStatus } : {}),
    premium: {
      policyId,
      amount,
      payDate: notice.paymentDate,
      payType: payTypeOf(
        findExtension(notice.extension, PaymentNoticeExtensions.payType)?.valueCodeableConcept,
        PAYMENT_NOTICE_PROFILE,
        paymentNoticeFieldPaths['payType']!,
      ),
      receipt: receipt?.value ?? '',
    },
  };
}
