import type { Contract } from '@medplum/fhirtypes';
import { Family } from '../../domain/insuree/family.entity.ts';
import { policyRulesFrom } from '../../domain/policy/policy-rules.ts';
import { Policy } from '../../domain/policy/policy.entity.ts';
import { todayIn } from '../../platform/jobs/scheme-today.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import { contractToInput, type ContractInput } from './contract-input.ts';
import { policyToContract } from './contract.mapper.ts';
import { contractSearchParams } from './contract.search.ts';
import { CONTRACT_PROFILE, contractFieldPaths } from './contract.terms.ts';
import { issueContract, reviseContract } from './enrol-by-contract.ts';
import { policyViews } from './policy-views.ts';

/**
 * Contract ⇄ policy, in openIMIS's enrolment shape. POST enrols a family (or renews its policy,
 * legalState renewed) and records the premiums it carries, in one transaction; the server computes
 * and checks. PUT with status executed activates a policy waiting for it. A policy is never deleted (it expires, or is suspended when unpaid). Every premium
 * and status change touches the policy, so its Contract is published again with them; a new head
 * of family (the offer's party) publishes it again too.
 */
export function contractModule(mapping: MappingContext): ResourceModule<Policy, ContractInput, Contract> {
  const rules = policyRulesFrom(mapping.config);
  return {
    type: 'Contract',
    writesRefused: 'a policy is never deleted: it ends when it expires, and an unpaid one is suspended',
    profile: CONTRACT_PROFILE,
    entity: Policy,
    table: { table: 'policy', live: 't.deleted_at is null' },
    searchParams: contractSearchParams(),
    fieldPaths: contractFieldPaths,
    populate: ['family', 'product', 'officer', 'previous'],
    projector: {
      resourceType: 'Contract',
      entity: Policy,
      async render(em, policies) {
        const views = await policyViews(em, policies);
        return new Map(views.map((view) => [view.policy, policyToContract(view, mapping)]));
      },
      dependsOn: [
        {
          entity: Family,
          properties: ['head'],
          dependents: (em, families) =>
            em.find(Policy, { family: { $in: (families as Family[]).map((f) => f.id) }, deletedAt: null }),
        },
      ],
    },
    toInput: (contract, context) => contractToInput(contract, context),
    create: (em, input) => issueContract(em, input, rules, todayIn(mapping.config.SCHEME_TIME_ZONE)),
    update: (em, policy, input, expectedVersion) =>
      reviseContract(em, policy, input, expectedVersion, rules, todayIn(mapping.config.SCHEME_TIME_ZONE)),
  };
}
