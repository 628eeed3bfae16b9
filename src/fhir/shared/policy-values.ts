import type { CodeableConcept, Coding, Extension, Money as FhirMoney, Reference } from '@medplum/fhirtypes';
import type { Money } from '../../domain/shared/money.ts';
import type { Organisation } from '../../domain/organisation/organisation.entity.ts';
import type { PolicyAccount } from '../../domain/policy/policy-settlement.ts';
import type { PolicyStage, PolicyStatus } from '../../domain/policy/policy.entity.ts';
import { PayTypes, type PayType } from '../../domain/policy/premium.entity.ts';
import { codeFrom, concept, profileViolation } from './fhir-values.ts';
import { KINGA, kingaCodeSystem, kingaExtension, openImisCodeSystem } from './openimis.ts';

/** The vocabulary Coverage, Contract and PaymentNotice share: a policy's status, stage and money. */

export const POLICY_IDENTIFIER_SYSTEM = `${KINGA}/NamingSystem/policy`;
/** Premium receipts: unique per product, so an identifier value may repeat across products. */
export const RECEIPT_SYSTEM = `${KINGA}/NamingSystem/premium-receipt`;

export const PolicyExtensions = {
  status: kingaExtension('policy-status'),
  stage: kingaExtension('policy-stage'),
  account: kingaExtension('policy-account'),
} as const;

export const PolicyCodeSystems = {
  status: kingaCodeSystem('policy-status'),
  stage: kingaCodeSystem('policy-stage'),
} as const;

const statusDisplays: Record<PolicyStatus, string> = {
  idle: 'Idle',
  active: 'Active',
  suspended: 'Suspended',
  expired: 'Expired',
  ready: 'Ready',
};
const stageDisplays: Record<PolicyStage, string> = { N: 'New', R: 'Renewal' };

/** The policy's exact status, which FHIR's status codes cannot all tell apart. */
export function policyStatusExtension(status: PolicyStatus): Extension {
  const coding: Coding = { system: PolicyCodeSystems.status, code: status, display: statusDisplays[status] };
  return { url: PolicyExtensions.status, valueCoding: coding };
}

export function policyStageExtension(stage: PolicyStage): Extension {
  const coding: Coding = { system: PolicyCodeSystems.stage, code: stage, display: stageDisplays[stage] };
  return { url: PolicyExtensions.stage, valueCoding: coding };
}

/** A decimal amount as FHIR Money (at most two decimals: the JSON number is exact). */
export function fhirMoney(amount: Money, currency: string): FhirMoney {
  return { value: Number(amount), currency: currency as FhirMoney['currency'] };
}

/**
 * An amount a client sent, as the domain's decimal text. Money is in the scheme's currency: an
 * amount in another is refused, never taken as if it were (a 422 naming `expression`.currency).
 * The domain checks the decimals.
 */
export function amountSent(
  money: FhirMoney | undefined,
  currency: string,
  profile: string,
  expression: string,
): Money | undefined {
  if (money === undefined) {
    return undefined;
  }
  if (money.currency !== undefined && money.currency !== currency) {
    throw profileViolation(
      profile,
      `${expression}.currency`,
      `Amounts are in the scheme's currency, ${currency}, not ${money.currency}`,
    );
  }
  if (money.value === undefined) {
    throw profileViolation(profile, `${expression}.value`, 'The amount is required', 'required');
  }
  const text = String(money.value);
  if (!Number.isFinite(money.value) || /e/i.test(text)) {
    throw profileViolation(profile, `${expression}.value`, `${text} is not a plain decimal amount`);
  }
  return text;
}

/** openIMIS's premium payment types. */
export const PAY_TYPE_SYSTEM = openImisCodeSystem('contract-premium-type');

const payTypeDisplays: Record<PayType, string> = {
  B: 'Bank transfer',
  C: 'Cash',
  M: 'Mobile phone',
  F: 'Funding',
};

export function payTypeConcept(payType: PayType): CodeableConcept {
  return concept(PAY_TYPE_SYSTEM, payType, payTypeDisplays[payType]);
}

/** How a premium was paid (openIMIS contract-premium-type): B bank, C cash, M mobile money, F funding; cash when not said. */
export function payTypeOf(
  concept: CodeableConcept | undefined,
  profile: string,
  expression: string,
): PayType {
  const code = codeFrom(concept);
  if (code === undefined) {
    return 'C';
  }
  if (!PayTypes.includes(code as PayType)) {
    throw profileViolation(
      profile,
      expression,
      `The payment type is one of ${PayTypes.join(', ')}, not ${code}`,
    );
  }
  return code as PayType;
}

/** What the policy costs and where its payments stand: value, paid, balance (owed), credit (paid beyond). */
export function accountExtension(value: Money, account: PolicyAccount, currency: string): Extension {
  return {
    url: PolicyExtensions.account,
    extension: [
      { url: 'value', valueMoney: fhirMoney(value, currency) },
      { url: 'paid', valueMoney: fhirMoney(account.paid, currency) },
      { url: 'balance', valueMoney: fhirMoney(account.balance, currency) },
      { url: 'credit', valueMoney: fhirMoney(account.credit, currency) },
    ],
  };
}

/**
 * The insurer as payor or payee. Without a registered insurer the reference carries only a
 * display (FHIR requires a payor); resources published then get the Organization reference when
 * they are next published (a payment, a status change).
 */
export function insurerReference(insurer: Pick<Organisation, 'id' | 'name'> | null): Reference {
  return insurer
    ? { reference: `Organization/${insurer.id}`, display: insurer.name }
    : { display: 'Health insurance scheme (no insurer registered)' };
}

/** SQL for the id of the insurer `findSchemeInsurer` (domain/organisation) finds. */
export const SCHEME_INSURER_ID_SQL =
  "(select o.id from organisation o where o.kind = 'insurer' and o.deleted_at is null order by o.created_at limit 1)";
