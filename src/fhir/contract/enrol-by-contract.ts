import type { EntityManager } from '@mikro-orm/core';
import { findLiveInsuree } from '../../domain/insuree/insuree.repository.ts';
import { activatePolicy } from '../../domain/policy/activate-policy.ts';
import { enrolFamily } from '../../domain/policy/enrol-family.ts';
import { InsureePolicy } from '../../domain/policy/insuree-policy.entity.ts';
import type { PolicyRules } from '../../domain/policy/policy-rules.ts';
import { Policy, type PolicyStatus } from '../../domain/policy/policy.entity.ts';
import { Premium } from '../../domain/policy/premium.entity.ts';
import { recordPremium } from '../../domain/policy/record-premium.ts';
import { renewPolicy } from '../../domain/policy/renew-policy.ts';
import { latestPolicyOf } from '../../domain/policy/latest-policy.ts';
import type { IsoDate } from '../../domain/shared/dates.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { compareMoney, isMoney } from '../../domain/shared/money.ts';
import { assertVersion } from '../../domain/shared/record.ts';
import { profileViolation } from '../shared/fhir-values.ts';
import type { ClaimedCover, ContractInput } from './contract-input.ts';
import { CONTRACT_PROFILE, contractStatusOf } from './contract.terms.ts';

/**
 * A Contract received for a new id: an enrolment (stage N, enrolFamily) or a renewal (stage R,
 * renewPolicy), then each premium it carries (recordPremium), all in the caller's transaction. The
 * server computes value, dates and cover; whatever the Contract says of them is then checked
 * against the result, and a difference fails the whole request, naming the element.
 *
 * The enrolment date is Contract.issued; without it, the start of the cover period, which is what
 * openIMIS takes (its enrol date is term.asset.period.start); without either, the scheme's today.
 */
export async function issueContract(
  em: EntityManager,
  input: ContractInput,
  rules: PolicyRules,
  today: IsoDate,
): Promise<Policy> {
  if (input.status !== undefined && input.status !== 'offered') {
    throw profileViolation(
      CONTRACT_PROFILE,
      'Contract.status',
      `A Contract is sent as an offer (status offered, or none), not ${input.status}: the server sets the status from the payments`,
    );
  }
  const familyId = await familyIdOf(em, input.subject);
  const enrolDate = input.issued ?? input.claimed.startDate ?? today;
  const claimed = {
    ...(input.claimed.value === undefined ? {} : { value: input.claimed.value }),
    ...(input.claimed.startDate === undefined ? {} : { startDate: input.claimed.startDate }),
    ...(input.claimed.expiryDate === undefined ? {} : { expiryDate: input.claimed.expiryDate }),
  };
  const id = input.id ? { id: input.id } : {};
  let policy: Policy;
  let members: InsureePolicy[];
  if (input.stage === 'R') {
    const previousId = input.renewsId ?? (await latestPolicyOf(em, familyId)).id;
    const named = await em.findOne(Policy, { id: previousId, deletedAt: null });
    if (named && named.family.id !== familyId) {
      throw new KingaError('contract.renewal-other-family', { id: previousId }, { field: 'policy' });
    }
    const renewal = await renewPolicy(
      em,
      {
        ...id,
        policyId: previousId,
        renewalDate: enrolDate,
        ...(input.officerId ? { officerId: input.officerId } : {}),
        claimed,
      },
      rules,
    );
    if (renewal.policy.product.id !== input.productId) {
      throw new KingaError(
        'contract.renewal-product-differs',
        { code: renewal.policy.product.code, id: renewal.policy.product.id },
        { field: 'product' },
      );
    }
    ({ policy, members } = renewal);
  } else {
    ({ policy, members } = await enrolFamily(
      em,
      { ...id, familyId, productId: input.productId, officerId: input.officerId ?? null, enrolDate, claimed },
      rules,
    ));
  }
  for (const premium of input.premiums) {
    await recordPremium(em, { ...premium, policyId: policy.id }, rules);
  }
  assertAgrees(policy, members, input);
  return policy;
}

/**
 * A Contract received again for an existing policy (an offline device retrying, a client echoing
 * what it read): nothing changes when it agrees with the policy; a policy's terms are not edited
 * through it (premiums go through PaymentNotice, renewals are new Contracts). The one change it
 * makes: a paid policy waiting for activation (ready, executable) sent as executed is activated
 * from `today` (POLICY_ACTIVATION=manual: the officer's activation).
 */
export async function reviseContract(
  em: EntityManager,
  policy: Policy,
  input: ContractInput,
  expectedVersion: number | undefined,
  rules: PolicyRules,
  today: IsoDate,
): Promise<void> {
  assertVersion(policy, expectedVersion, 'Contract');
  const fixed = (element: string, field: string): KingaError =>
    new KingaError('contract.terms-fixed', { element }, { field });
  if ((await familyIdOf(em, input.subject)) !== policy.family.id) {
    throw fixed('insured family', 'family');
  }
  if (input.productId !== policy.product.id) {
    throw fixed('product', 'product');
  }
  if (input.stage !== policy.stage) {
    throw fixed('stage (legalState)', 'stage');
  }
  if (input.renewsId !== undefined && input.renewsId !== policy.previous?.id) {
    throw fixed('renewed policy', 'policy');
  }
  if (input.officerId !== undefined && input.officerId !== policy.officer?.id) {
    throw fixed('enrolment officer', 'officer');
  }
  if (input.issued !== undefined && input.issued !== policy.enrolDate) {
    throw fixed('enrolment date', 'enrolDate');
  }
  const members = await em.find(InsureePolicy, { policy, deletedAt: null });
  assertAgrees(policy, members, input);
  const payments = await em.find(Premium, { policy, kind: 'payment', deletedAt: null });
  for (const premium of input.premiums) {
    const recorded = payments.some(
      (p) =>
        p.receipt === premium.receipt.trim() &&
        p.payDate === premium.payDate &&
        isMoney(premium.amount) &&
        compareMoney(p.amount, premium.amount) === 0,
    );
    if (!recorded) {
      throw new KingaError(
        'contract.premium-not-recorded',
        { receipt: premium.receipt },
        { field: 'receipt' },
      );
    }
  }
  const current = contractStatusOf[policy.status as PolicyStatus];
  if (input.status === undefined || input.status === current) {
    return;
  }
  if (policy.status !== 'ready' || input.status !== 'executed') {
    throw profileViolation(
      CONTRACT_PROFILE,
      'Contract.status',
      `The status follows the payments (now ${current}); only a policy waiting for activation (executable) is sent as executed, to activate it`,
    );
  }
  await activatePolicy(em, { policyId: policy.id, date: today }, rules);
}

async function familyIdOf(em: EntityManager, subject: ContractInput['subject']): Promise<string> {
  if (subject.type === 'Group') {
    return subject.id;
  }
  const insuree = await findLiveInsuree(em, subject.id, 'family');
  if (!insuree.family) {
    throw new KingaError('contract.patient-without-family', { id: subject.id }, { field: 'family' });
  }
  return insuree.family.id;
}

/** The figures and members the Contract states, against the policy's own. */
function assertAgrees(policy: Policy, members: InsureePolicy[], input: ContractInput): void {
  const claimed: ClaimedCover = input.claimed;
  if (
    claimed.value !== undefined &&
    (!isMoney(claimed.value) || compareMoney(claimed.value, policy.value) !== 0)
  ) {
    throw new KingaError(
      'policy.claimed-value-differs',
      { claimed: claimed.value, computed: policy.value },
      { field: 'value' },
    );
  }
  const dates: [keyof ClaimedCover, string | null | undefined][] = [
    ['startDate', policy.startDate],
    ['expiryDate', policy.expiryDate],
    ['effectiveDate', policy.effectiveDate],
    ['usePeriodEnd', policy.expiryDate],
  ];
  for (const [field, computed] of dates) {
    const given = claimed[field];
    if (given !== undefined && given !== computed) {
      throw new KingaError(
        'policy.claimed-date-differs',
        { field, claimed: given, computed: computed ?? 'none (the policy is not in force yet)' },
        { field },
      );
    }
  }
  if (input.memberIds) {
    const covered = members.map((m) => m.insuree.id).sort();
    const listed = [...new Set(input.memberIds)].sort();
    if (covered.join() !== listed.join() || listed.length !== input.memberIds.length) {
      throw new KingaError(
        'contract.members-differ',
        {
          covered: covered.map((id) => `Patient/${id}`).join(', '),
          listed: input.memberIds.map((id) => `Patient/${id}`).join(', '),
        },
        { field: 'members' },
      );
    }
  }
}
