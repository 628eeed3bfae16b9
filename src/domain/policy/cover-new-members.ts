import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import type { Family } from '../insuree/family.entity.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { InsureePolicy } from './insuree-policy.entity.ts';
import { addMemberToPolicy, type NewMemberCover } from './add-member-to-policy.ts';
import { assertDate } from './issue-policy.ts';
import type { PolicyRules } from './policy-rules.ts';
import { Policy } from './policy.entity.ts';

/**
 * After a family admits members: each of its policies running on `joinDate` (in its period, not
 * expired) takes in those of `memberIds` who are active and not on it yet, through
 * addMemberToPolicy, which raises the value by their extra premium and covers them once it is
 * paid. Policies not running that day (a renewal not yet enrolled, past ones) are left alone.
 */
export async function coverNewMembers(
  em: EntityManager,
  family: Family,
  memberIds: readonly string[],
  joinDate: IsoDate,
  rules: PolicyRules,
): Promise<NewMemberCover[]> {
  assertDate(joinDate, 'joinDate');
  const members = await em.find(Insuree, { id: { $in: [...memberIds] }, deletedAt: null, status: 'AC' });
  const active = members.map((m) => m.id).sort();
  const policies = await em.find(
    Policy,
    {
      family,
      deletedAt: null,
      status: { $ne: 'expired' },
      enrolDate: { $lte: joinDate },
      expiryDate: { $gte: joinDate },
    },
    { orderBy: { id: 'asc' } },
  );
  const added: NewMemberCover[] = [];
  for (const policy of policies) {
    const covered = await em.find(InsureePolicy, { policy, deletedAt: null });
    const onPolicy = new Set(covered.map((c) => c.insuree.id));
    for (const insureeId of active.filter((id) => !onPolicy.has(id))) {
      added.push(await addMemberToPolicy(em, { policyId: policy.id, insureeId, joinDate }, rules));
    }
  }
  return added;
}
