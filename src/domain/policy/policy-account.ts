import type { EntityManager } from '@mikro-orm/core';
import type { Money } from '../shared/money.ts';
import { accountOf, type PolicyAccount } from './policy-settlement.ts';
import type { Policy } from './policy.entity.ts';
import { Premium } from './premium.entity.ts';

/**
 * Where several policies' money stands (paid, balance, credit), in one query: what a Coverage or
 * a Contract shows beside the value, for one policy or a page of them.
 */
export async function policyAccounts(
  em: EntityManager,
  policies: readonly Policy[],
): Promise<Map<string, PolicyAccount>> {
  const amounts = new Map<string, Money[]>(policies.map((p) => [p.id, []]));
  if (policies.length > 0) {
    const entries = await em.find(
      Premium,
      { policy: { $in: policies.map((p) => p.id) }, deletedAt: null },
      { fields: ['policy', 'amount'] },
    );
    for (const entry of entries) {
      amounts.get(entry.policy.id)?.push(entry.amount);
    }
  }
  return new Map(
    policies.map((policy) => [policy.id, accountOf(policy.value, amounts.get(policy.id) ?? [])]),
  );
}
