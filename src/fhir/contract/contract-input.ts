import type { CodeableConcept, Contract, ContractTermAsset, Extension, Reference } from '@medplum/fhirtypes';
import type { PolicyStage } from '../../domain/policy/policy.entity.ts';
import type { PayType } from '../../domain/policy/premium.entity.ts';
import type { IsoDate } from '../../domain/shared/dates.ts';
import type { Money } from '../../domain/shared/money.ts';
import type { MappingContext } from '../core/resource-module.ts';
import { codeFrom, findExtension, profileViolation, referenceId } from '../shared/fhir-values.ts';
import { amountSent, payTypeOf } from '../shared/policy-values.ts';
import { CONTRACT_PROFILE, ContractExtensions, contractFieldPaths } from './contract.terms.ts';

/** A premium paid with the enrolment (openIMIS contract-premium). */
export interface PremiumClaim {
  amount: Money;
  payDate: IsoDate;
  receipt: string;
  payType: PayType;
}

/** What a client says the policy is: each figure is checked against the server's, never taken. */
export interface ClaimedCover {
  value?: Money;
  startDate?: IsoDate;
  expiryDate?: IsoDate;
  effectiveDate?: IsoDate;
  usePeriodEnd?: IsoDate;
}

/** A Contract read as an enrolment (stage N) or a renewal (stage R). */
export interface ContractInput {
  id?: string;
  stage: PolicyStage;
  /** The policy a renewal continues, when the Contract names it (extension contract-renews). */
  renewsId?: string;
  /** The family insured: a Group, or a Patient standing for its family. */
  subject: { type: 'Group' | 'Patient'; id: string };
  productId: string;
  /** The enrolment officer (author), when named. */
  officerId?: string;
  /** Contract.issued: the day the family enrolled (or renewed). */
  issued?: IsoDate;
  claimed: ClaimedCover;
  /** The Patients the client lists as covered (term.asset.typeReference), when it lists them. */
  memberIds?: string[];
  premiums: PremiumClaim[];
  status?: string;
}

const ASSET = 'Contract.term.asset';

/** Contract → what enrolment, renewal and premium recording take (before the server computes). */
export function contractToInput(contract: Contract, context: MappingContext): ContractInput {
  const asset = contract.term?.[0]?.asset?.[0];
  if (!asset) {
    throw profileViolation(CONTRACT_PROFILE, ASSET, 'The Contract needs one term with one asset', 'required');
  }
  const currency = context.config.CURRENCY;
  const valued = asset.valuedItem?.[0];
  const productId = referenceId(
    valued?.entityReference,
    'InsurancePlan',
    `${ASSET}.valuedItem.entityReference`,
  );
  if (!productId) {
    throw profileViolation(
      CONTRACT_PROFILE,
      `${ASSET}.valuedItem.entityReference`,
      'The product (an InsurancePlan reference) is required',
      'required',
    );
  }
  const period = asset.period?.[0];
  const usePeriod = asset.usePeriod?.[0];
  const renewsId = referenceId(
    findExtension(contract.extension, ContractExtensions.renews)?.valueReference,
    'Contract',
    contractFieldPaths['policy']!,
  );
  const claimed: ClaimedCover = {
    value: amountSent(valued?.net, currency, CONTRACT_PROFILE, `${ASSET}.valuedItem.net`),
    startDate: dayOf(period?.start),
    expiryDate: dayOf(period?.end),
    effectiveDate: dayOf(usePeriod?.start),
    usePeriodEnd: dayOf(usePeriod?.end),
  };
  const officerId = referenceId(contract.author, 'Practitioner', 'Contract.author');
  const issued = dayOf(contract.issued);
  return {
    ...(contract.id ? { id: contract.id } : {}),
    stage: stageOf(contract.legalState, renewsId !== undefined),
    ...(renewsId ? { renewsId } : {}),
    subject: subjectOf(contract.subject?.[0]),
    productId,
    ...(officerId ? { officerId } : {}),
    ...(issued ? { issued } : {}),
    claimed: Object.fromEntries(Object.entries(claimed).filter(([, v]) => v !== undefined)),
    ...(asset.typeReference
      ? {
          memberIds: asset.typeReference.map(
            (ref, i) => referenceId(ref, 'Patient', `${ASSET}.typeReference[${i}]`) ?? '',
          ),
        }
      : {}),
    premiums: premiumsOf(asset, currency),
    ...(contract.status ? { status: contract.status } : {}),
  };
}

/** The calendar day of a date or dateTime, as the writer meant it (its own zone). */
function dayOf(value: string | undefined): IsoDate | undefined {
  return value?.slice(0, 10);
}

function subjectOf(reference: Reference | undefined): ContractInput['subject'] {
  const type = /(?:^|\/)(Group|Patient)\/[^/]+$/.exec(reference?.reference ?? '')?.[1] as
    'Group' | 'Patient' | undefined;
  const id = referenceId(reference, type ?? 'Group', 'Contract.subject');
  if (!id) {
    throw profileViolation(
      CONTRACT_PROFILE,
      'Contract.subject',
      'The family insured (a Group, or a Patient of the family) is required',
      'required',
    );
  }
  return { type: type ?? 'Group', id };
}

/** openIMIS: legalState "Offered" for a new policy, "Renewed" for a renewal (as text or a code). */
function stageOf(legalState: CodeableConcept | undefined, namesRenewed: boolean): PolicyStage {
  const word = (codeFrom(legalState) ?? legalState?.text)?.toLowerCase();
  if (word === 'renewed' || (word === undefined && namesRenewed)) {
    return 'R';
  }
  if ((word === undefined || word === 'offered') && !namesRenewed) {
    return 'N';
  }
  throw profileViolation(
    CONTRACT_PROFILE,
    'Contract.legalState',
    namesRenewed
      ? 'A Contract that renews a policy has legalState renewed'
      : `legalState is offered (a new policy) or renewed (a renewal), not ${word}`,
  );
}

function premiumsOf(asset: ContractTermAsset, currency: string): PremiumClaim[] {
  return (asset.extension ?? [])
    .filter((e) => e.url === ContractExtensions.premium)
    .map((premium) => {
      const part = (name: string): Extension | undefined => findExtension(premium.extension, name);
      const amount = amountSent(
        part('amount')?.valueMoney,
        currency,
        CONTRACT_PROFILE,
        contractFieldPaths['amount']!,
      );
      const payDate = part('date')?.valueDate;
      if (amount === undefined || payDate === undefined) {
        throw profileViolation(
          CONTRACT_PROFILE,
          amount === undefined ? contractFieldPaths['amount']! : contractFieldPaths['payDate']!,
          'A premium needs its amount and date',
          'required',
        );
      }
      return {
        amount,
        payDate,
        receipt: part('receipt')?.valueString ?? '',
        payType: payTypeOf(
          part('type')?.valueCodeableConcept,
          CONTRACT_PROFILE,
          contractFieldPaths['payType']!,
        ),
      };
    });
}
