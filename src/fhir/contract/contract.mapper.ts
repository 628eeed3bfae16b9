import type { Contract, ContractTermAsset, Extension } from '@medplum/fhirtypes';
import type { InsureePolicy } from '../../domain/policy/insuree-policy.entity.ts';
import type { PolicyAccount } from '../../domain/policy/policy-settlement.ts';
import type { Policy, PolicyStatus } from '../../domain/policy/policy.entity.ts';
import type { Premium } from '../../domain/policy/premium.entity.ts';
import type { MappingContext } from '../core/resource-module.ts';
import { compact, concept, uuidIdentifier } from '../shared/fhir-values.ts';
import {
  accountExtension,
  fhirMoney,
  payTypeConcept,
  POLICY_IDENTIFIER_SYSTEM,
  policyStageExtension,
  policyStatusExtension,
} from '../shared/policy-values.ts';
import {
  CONTRACT_PROFILE,
  ContractCodeSystems,
  ContractExtensions,
  contractStatusOf,
} from './contract.terms.ts';

/**
 * A policy as published: loaded with product, family and head; the officer and the policy it
 * renews may be bare references (only their ids are published).
 */
export interface PolicyView {
  policy: Policy;
  /** Its members' cover (the insurees as references: ids only). */
  members: InsureePolicy[];
  /** Its payments not reversed, in pay-date order. */
  payments: Premium[];
  account: PolicyAccount;
}

/**
 * Policy → Contract in openIMIS's enrolment shape: the family as subject, the enrolment officer
 * as author, one term whose asset lists the covered Patients, the product (InsurancePlan) with the
 * value as `net`, the cover period and, once in force, the use period; each payment as a
 * contract-premium extension; the exact status, stage and account (value, paid, balance, credit)
 * in Kinga extensions.
 */
export function policyToContract(view: PolicyView, context: MappingContext): Contract {
  const { policy, members, payments, account } = view;
  const currency = context.config.CURRENCY;
  const extension: Extension[] = [
    policyStatusExtension(policy.status),
    policyStageExtension(policy.stage),
    accountExtension(policy.value, account, currency),
  ];
  if (policy.previous) {
    extension.push({
      url: ContractExtensions.renews,
      valueReference: { reference: `Contract/${policy.previous.id}` },
    });
  }
  // The offer is R4's one required element of a term: the head, who holds the policy (a policy
  // always has members: enrolment refuses a family without one).
  const holder = policy.family.head ?? members[0]!.insuree;
  const asset: ContractTermAsset = compact<ContractTermAsset>({
    extension: payments.map((premium) => premiumExtension(premium, currency)),
    typeReference: members.map((m) => ({ reference: `Patient/${m.insuree.id}` })),
    period: [{ start: policy.startDate, end: policy.expiryDate }],
    usePeriod: policy.effectiveDate ? [{ start: policy.effectiveDate, end: policy.expiryDate }] : [],
    valuedItem: [
      {
        entityReference: { reference: `InsurancePlan/${policy.product.id}`, display: policy.product.name },
        net: fhirMoney(policy.value, currency),
      },
    ],
  });
  return compact<Contract>({
    resourceType: 'Contract',
    meta: { profile: [CONTRACT_PROFILE] },
    extension,
    identifier: [
      { use: 'official', system: POLICY_IDENTIFIER_SYSTEM, value: policy.id },
      uuidIdentifier(policy.id),
    ],
    status: contractStatusOf[policy.status as PolicyStatus],
    // openIMIS tells new policies (Offered) from renewals (Renewed) here.
    legalState: concept(
      ContractCodeSystems.legalState,
      policy.stage === 'R' ? 'renewed' : 'offered',
      policy.stage === 'R' ? 'Renewed' : 'Offered',
    ),
    issued: policy.enrolDate,
    applies: { start: policy.startDate, end: policy.expiryDate },
    subject: [{ reference: `Group/${policy.family.id}` }],
    author: policy.officer ? { reference: `Practitioner/${policy.officer.id}` } : undefined,
    scope: concept(ContractCodeSystems.scope, 'informal', 'Informal Sector'),
    term: [
      {
        offer: {
          party: [
            {
              reference: [{ reference: `Patient/${holder.id}` }],
              role: concept(ContractCodeSystems.partyRole, 'beneficiary', 'Beneficiary'),
            },
          ],
        },
        asset: [asset],
      },
    ],
  });
}

function premiumExtension(premium: Premium, currency: string): Extension {
  return {
    url: ContractExtensions.premium,
    extension: [
      {
        url: 'payer',
        valueCodeableConcept: concept(ContractCodeSystems.premiumPayer, 'beneficiary', 'Beneficiary'),
      },
      {
        url: 'category',
        valueCodeableConcept: concept(ContractCodeSystems.premiumCategory, 'C', 'Contribution and Others'),
      },
      { url: 'amount', valueMoney: fhirMoney(premium.amount, currency) },
      { url: 'receipt', valueString: premium.receipt },
      { url: 'date', valueDate: premium.payDate },
      { url: 'type', valueCodeableConcept: payTypeConcept(premium.payType) },
    ],
  };
}
