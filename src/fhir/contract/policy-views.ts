import type { EntityManager } from '@mikro-orm/core';
import { liveLedgersOf, liveMembersOf } from '../../domain/policy/held-books.ts';
import { accountOf } from '../../domain/policy/policy-settlement.ts';
import type { Policy } from '../../domain/policy/policy.entity.ts';
import type { PolicyView } from './contract.mapper.ts';

/**
 * What publishing policies needs, for a flush's worth of them: their product, family and head,
 * members and ledger (the members and ledger from memory when the flush's transaction holds their
 * books: held-books.ts).
 */
export async function policyViews(em: EntityManager, policies: Policy[]): Promise<PolicyView[]> {
  if (policies.length === 0) {
    return [];
  }
  // The officer and the renewed policy are published by id alone: their references hold it.
  await em.populate(policies, ['product', 'family.head'] as never[]);
  const ids = policies.map((p) => p.id);
  // Only the insurees' ids are published: no need to load the insuree rows.
  const members = await liveMembersOf(em, ids);
  const ledger = await liveLedgersOf(em, ids);
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
