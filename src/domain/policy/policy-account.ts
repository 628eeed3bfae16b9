import type { EntityManager } from '@mikro-orm/core';
import type { Money } from '../shared/money.ts';
import { accountOf, type PolicyAccount } from './policy-settlement.ts';
import type { Policy } from './policy.entity.ts';
import { liveLedgersOf } from './held-books.ts';

/**
 * Where several policies' money stands (paid, balance, credit), in one query: what a Coverage or
 * a Contract shows beside the value, for one policy or a page of them (none for books the
 * transaction holds).
 */
export async function policyAccounts(
  em: EntityManager,
  policies: readonly Policy[],
): Promise<Map<string, PolicyAccount>> {
  const amounts = new Map<string, Money[]>(policies.map((p) => [p.id, []]));
  if (policies.length > 0) {
    for (const entry of await liveLedgersOf(
      em,
      policies.map((p) => p.id),
    )) {
      amounts.get(entry.policy.id)?.push(entry.amount);
    }
  }
  return new Map(
    policies.map((policy) => [policy.id, accountOf(policy.value, amounts.get(policy.id) ?? [])]),
  );
}
