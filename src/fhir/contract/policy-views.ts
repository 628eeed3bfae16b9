import type { EntityManager } from '@mikro-orm/core';
import { InsureePolicy } from '../../domain/policy/insuree-policy.entity.ts';
import { accountOf } from '../../domain/policy/policy-settlement.ts';
import type { Policy } from '../../domain/policy/policy.entity.ts';
import { Premium } from '../../domain/policy/premium.entity.ts';
import type { PolicyView } from './contract.mapper.ts';

/** What publishing policies needs, for a flush's worth of them in three queries. */
export async function policyViews(em: EntityManager, policies: Policy[]): Promise<PolicyView[]> {
  if (policies.length === 0) {
    return [];
  }
  await em.populate(policies, ['product', 'family.head', 'officer', 'previous'] as never[]);
  const ids = policies.map((p) => p.id);
  const members = await em.find(
    InsureePolicy,
    { policy: { $in: ids }, deletedAt: null },
    // Only the insurees' ids are published: no need to load the insuree rows.
    { orderBy: { id: 'asc' } },
  );
  const ledger = await em.find(
    Premium,
    { policy: { $in: ids }, deletedAt: null },
    { orderBy: { payDate: 'asc', id: 'asc' } },
  );
  const reversed = new Set(
    ledger.filter((e) => e.kind === 'reversal' && e.counterpart).map((e) => e.counterpart!.id),
  );
  const membersOf = Map.groupBy(members, (m) => m.policy.id);
  const entriesOf = Map.groupBy(ledger, (e) => e.policy.id);
  return policies.map((policy) => {
    const entries = entriesOf.get(policy.id) ?? [];
    return {
      policy,
      members: membersOf.get(policy.id) ?? [],
      payments: entries.filter((e) => e.isPayment() && !reversed.has(e.id)),
      account: accountOf(
        policy.value,
        entries.map((e) => e.amount),
      ),
    };
  });
}
