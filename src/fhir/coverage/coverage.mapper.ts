import type { Coverage, Extension, Identifier } from '@medplum/fhirtypes';
import type { Insuree } from '../../domain/insuree/insuree.entity.ts';
import type { InsureePolicy } from '../../domain/policy/insuree-policy.entity.ts';
import type { PolicyAccount } from '../../domain/policy/policy-settlement.ts';
import type { PolicyStatus } from '../../domain/policy/policy.entity.ts';
import type { MappingContext } from '../core/resource-module.ts';
import { compact, concept, uuidIdentifier } from '../shared/fhir-values.ts';
import { kingaExtension, kingaProfile } from '../shared/openimis.ts';
import {
  accountExtension,
  insurerReference,
  POLICY_IDENTIFIER_SYSTEM,
  policyStageExtension,
  policyStatusExtension,
} from '../shared/policy-values.ts';
import type { SchemeInsurer } from '../shared/scheme-insurer.ts';

export const COVERAGE_PROFILE = kingaProfile('kinga-coverage');

export const CoverageExtensions = {
  enrolmentDate: kingaExtension('coverage-enrolment-date'),
  effectiveDate: kingaExtension('coverage-effective-date'),
  /** R5 Coverage.insurancePlan, carried into R4 by the cross-version extension (versions.html#extensions). */
  insurancePlan: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Coverage.insurancePlan',
} as const;

const IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const SUBSCRIBER_RELATIONSHIP = 'http://terminology.hl7.org/CodeSystem/subscriber-relationship';
const COVERAGE_CLASS = 'http://terminology.hl7.org/CodeSystem/coverage-class';

/** openIMIS relationship to the head (patient-contact-relationship) → subscriber-relationship. */
const relationships: Record<string, string> = { '2': 'parent', '4': 'child', '8': 'spouse' };

/**
 * FHIR Coverage.status (fm-status) of one member's cover. The codes mean: active "currently in
 * force", cancelled "withdrawn, rescinded or reversed", draft "a new instance … not complete". So:
 *
 * | policy    | member's cover       | Coverage.status                                   |
 * |-----------|----------------------|---------------------------------------------------|
 * | idle      | –                    | draft (entered, not paid: not yet in force)       |
 * | ready     | –                    | draft (paid, waiting for activation)              |
 * | active    | effective date set   | active                                            |
 * | active    | no effective date    | draft (a member who joined, extra premium unpaid) |
 * | suspended | –                    | cancelled (withdrawn for not paying)              |
 * | expired   | –                    | cancelled (no longer in force)                    |
 *
 * openIMIS publishes expired policies as active, which tells a facility an ended cover is in
 * force. The exact status is in the policy-status extension.
 */
export function coverageStatus(
  policyStatus: PolicyStatus,
  memberEffectiveDate: string | null,
): Coverage['status'] {
  switch (policyStatus) {
    case 'active':
      return memberEffectiveDate ? 'active' : 'draft';
    case 'idle':
    case 'ready':
      return 'draft';
    case 'suspended':
    case 'expired':
      return 'cancelled';
  }
}

/** One member's cover as published, with its policy's money and the scheme's insurer. */
export interface CoverView {
  /** Loaded with its insuree, and its policy with product, family and head. */
  cover: InsureePolicy;
  account: PolicyAccount;
  insurer: SchemeInsurer | null;
}

/** InsureePolicy → Coverage: one per insured member, the family head as subscriber and policy holder. */
export function coverToCoverage(view: CoverView, context: MappingContext): Coverage {
  const { cover, account, insurer } = view;
  const { policy } = cover;
  const member = cover.insuree;
  const head = policy.family.head ?? member;
  const isHead = head.id === member.id;
  const currency = context.config.CURRENCY;
  const extension: Extension[] = [
    policyStatusExtension(policy.status),
    policyStageExtension(policy.stage),
    { url: CoverageExtensions.enrolmentDate, valueDate: cover.enrolDate },
  ];
  if (cover.effectiveDate) {
    extension.push({ url: CoverageExtensions.effectiveDate, valueDate: cover.effectiveDate });
  }
  extension.push(
    {
      url: CoverageExtensions.insurancePlan,
      valueReference: { reference: `InsurancePlan/${policy.product.id}` },
    },
    accountExtension(policy.value, account, currency),
  );
  return compact<Coverage>({
    resourceType: 'Coverage',
    meta: { profile: [COVERAGE_PROFILE] },
    extension,
    identifier: identifiersOf(cover, member, context),
    status: coverageStatus(policy.status, cover.effectiveDate ?? null),
    // HIP: a health insurance plan policy.
    type: concept(ACT_CODE, 'HIP', 'health insurance plan policy'),
    policyHolder: { reference: `Patient/${head.id}` },
    subscriber: { reference: `Patient/${head.id}` },
    subscriberId: head.insuranceNumber,
    beneficiary: { reference: `Patient/${member.id}` },
    relationship: concept(
      SUBSCRIBER_RELATIONSHIP,
      isHead ? 'self' : (relationships[member.relationship ?? ''] ?? 'other'),
    ),
    period: { start: cover.startDate, end: cover.expiryDate },
    payor: [insurerReference(insurer) as Coverage['payor'][number]],
    class: [
      {
        type: concept(COVERAGE_CLASS, 'plan', 'Plan'),
        value: policy.product.code,
        name: policy.product.name,
      },
    ],
    contract: [{ reference: `Contract/${policy.id}` }],
  });
}

function identifiersOf(cover: InsureePolicy, member: Insuree, context: MappingContext): Identifier[] {
  return [
    {
      use: 'official',
      type: concept(IDENTIFIER_TYPE, 'MB', 'Member Number'),
      system: context.config.INSURANCE_NUMBER_SYSTEM,
      value: member.insuranceNumber,
    },
    { use: 'secondary', system: POLICY_IDENTIFIER_SYSTEM, value: cover.policy.id },
    uuidIdentifier(cover.id),
  ];
}
