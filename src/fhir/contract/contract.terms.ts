import type { Contract } from '@medplum/fhirtypes';
import type { PolicyStatus } from '../../domain/policy/policy.entity.ts';
import {
  extensionPath,
  kingaExtension,
  kingaProfile,
  openImisCodeSystem,
  openImisExtension,
} from '../shared/openimis.ts';

/** The vocabulary of the Contract a policy is published as (openIMIS's enrolment shape). */

export const CONTRACT_PROFILE = kingaProfile('kinga-contract');

export const ContractExtensions = {
  /** openIMIS: a premium paid with the enrolment (payer, category, amount, receipt, date, type). */
  premium: openImisExtension('contract-premium'),
  /** The policy a renewal continues. */
  renews: kingaExtension('contract-renews'),
} as const;

export const ContractCodeSystems = {
  status: 'http://hl7.org/fhir/contract-status',
  legalState: 'http://hl7.org/fhir/contract-legalstate',
  scope: openImisCodeSystem('contract-scope'),
  partyRole: openImisCodeSystem('contract-resource-party-role'),
  premiumPayer: openImisCodeSystem('contract-premium-payer'),
  premiumCategory: openImisCodeSystem('contract-premium-category'),
} as const;

/**
 * Contract.status (contract-status) of a policy. openIMIS sends and publishes capitalised codes
 * (Offered, Policy, Terminated, Disputed) that are not R4 codes; these are, by their definitions:
 * offered "a proposal … e.g. health insurance application", executable "execution pending … the
 * applicant signed", executed "activated for the period stipulated", disputed "pended to rectify
 * failure … to fulfil contract provision(s) (suspended)", terminated "reaches its expiry date".
 */
export const contractStatusOf: Record<PolicyStatus, NonNullable<Contract['status']>> = {
  idle: 'offered',
  ready: 'executable',
  active: 'executed',
  suspended: 'disputed',
  expired: 'terminated',
};

const asset = 'Contract.term.asset';
const premiumPart = (name: string): string =>
  `${extensionPath(asset, ContractExtensions.premium)}.extension('${name}')`;

/** Domain field → the element that carries it, for the errors of enrolment, renewal and premiums. */
export const contractFieldPaths: Record<string, string> = {
  family: 'Contract.subject',
  product: `${asset}.valuedItem.entityReference`,
  officer: 'Contract.author',
  enrolDate: 'Contract.issued',
  renewalDate: 'Contract.issued',
  stage: 'Contract.legalState',
  value: `${asset}.valuedItem.net`,
  startDate: `${asset}.period.start`,
  expiryDate: `${asset}.period.end`,
  effectiveDate: `${asset}.usePeriod.start`,
  usePeriodEnd: `${asset}.usePeriod.end`,
  members: `${asset}.typeReference`,
  policy: extensionPath('Contract', ContractExtensions.renews),
  amount: premiumPart('amount'),
  receipt: premiumPart('receipt'),
  payDate: premiumPart('date'),
  payType: premiumPart('type'),
};
