import type { Coverage } from '@medplum/fhirtypes';
import { Family } from '../../domain/insuree/family.entity.ts';
import { InsureePolicy } from '../../domain/policy/insuree-policy.entity.ts';
import { liveMembersOf } from '../../domain/policy/held-books.ts';
import { policyAccounts } from '../../domain/policy/policy-account.ts';
import { Policy } from '../../domain/policy/policy.entity.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import { COVERAGE_PROFILE, coverToCoverage } from './coverage.mapper.ts';
import { coverageSearchParams } from './coverage.search.ts';
import { schemeInsurerOnce } from '../shared/scheme-insurer.ts';

/**
 * Coverage ⇄ member cover (InsureePolicy), read-only: cover comes from enrolment (Contract, a
 * transaction Bundle, a Group that gains a member) and from premiums (PaymentNotice). A Coverage
 * shows its policy's status and balance and its family's head, so a change of the policy (any
 * premium, any status change, which always touch the policy row) or of the head publishes the
 * policy's Coverages again.
 */
export function coverageModule(mapping: MappingContext): ResourceModule<InsureePolicy, never, Coverage> {
  return {
    type: 'Coverage',
    writesRefused:
      'Coverage is derived from the policies: enrol with a Contract, then pay with PaymentNotice',
    profile: COVERAGE_PROFILE,
    entity: InsureePolicy,
    table: { table: 'insuree_policy', live: 't.deleted_at is null' },
    searchParams: coverageSearchParams(mapping.config),
    fieldPaths: {},
    projector: {
      resourceType: 'Coverage',
      entity: InsureePolicy,
      async render(em, covers) {
        if (covers.length === 0) {
          return new Map();
        }
        await em.populate(covers, ['insuree', 'policy.product', 'policy.family.head'] as never[]);
        const accounts = await policyAccounts(em, [...new Set(covers.map((c) => c.policy))]);
        const insurer = await schemeInsurerOnce(em);
        return new Map(
          covers.map((cover) => [
            cover,
            coverToCoverage({ cover, account: accounts.get(cover.policy.id)!, insurer }, mapping),
          ]),
        );
      },
      dependsOn: [
        {
          entity: Policy,
          dependents: (em, policies) =>
            liveMembersOf(
              em,
              (policies as Policy[]).map((p) => p.id),
            ),
        },
        {
          entity: Family,
          properties: ['head'],
          dependents: (em, families) =>
            em.find(InsureePolicy, {
              policy: { family: { $in: (families as Family[]).map((f) => f.id) } },
              deletedAt: null,
            }),
        },
      ],
    },
  };
}
