import type { Group } from '@medplum/fhirtypes';
import { dissolveFamily } from '../../domain/insuree/dissolve-family.ts';
import { Family } from '../../domain/insuree/family.entity.ts';
import type { FamilyInput } from '../../domain/insuree/family-input.ts';
import { registerFamily } from '../../domain/insuree/register-family.ts';
import { reviseFamily } from '../../domain/insuree/revise-family.ts';
import { coverNewMembers } from '../../domain/policy/cover-new-members.ts';
import { policyRulesFrom } from '../../domain/policy/policy-rules.ts';
import type { Config } from '../../platform/config/config.ts';
import { todayIn } from '../../platform/jobs/scheme-today.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import { familyViews } from './family-views.ts';
import { familyToGroup, GROUP_PROFILE, groupFieldPaths, groupToFamily } from './group.mapper.ts';
import { groupIncludeQueries, groupSearchParams } from './group.search.ts';

/**
 * Group ⇄ family register; membership changes also change the members' Patient resources, and a
 * member who joins is put on the family's running policies (covered once their premium is paid).
 */
export function groupModule(
  config: Config,
  mapping: MappingContext,
): ResourceModule<Family, FamilyInput, Group> {
  return {
    type: 'Group',
    profile: GROUP_PROFILE,
    entity: Family,
    table: { table: 'family', live: 't.deleted_at is null' },
    searchParams: groupSearchParams(config),
    includeQueries: groupIncludeQueries,
    fieldPaths: groupFieldPaths,
    populate: ['head'],
    projector: {
      resourceType: 'Group',
      entity: Family,
      async render(em, families) {
        const views = await familyViews(em, families);
        return new Map(views.map((view) => [view.family, familyToGroup(view, mapping)]));
      },
    },
    toInput: (group, context) => groupToFamily(group, context),
    create: (em, input) => registerFamily(em, input),
    update: async (em, family, input, expectedVersion) => {
      await reviseFamily(em, family, input, expectedVersion);
      const members = [...(input.headId ? [input.headId] : []), ...input.memberIds];
      await coverNewMembers(em, family, members, todayIn(config.SCHEME_TIME_ZONE), policyRulesFrom(config));
    },
    remove: (em, family) => dissolveFamily(em, family),
  };
}
