import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { assertDate } from './issue-policy.ts';
import { Policy } from './policy.entity.ts';

/** One batch of a scheduled sweep: how many records it changed, and whether more are waiting. */
export interface SweepBatch {
  count: number;
  /** Ids of the policies changed, for the log and the caller's follow-up. */
  policyIds: string[];
  /** Fewer than the limit were found: nothing is left for `today`. */
  done: boolean;
}

export const DEFAULT_SWEEP_LIMIT = 500;

/**
 * Marks expired every live policy whose last day of cover is before `today`, whatever its
 * status (openIMIS update_renewals). Works in batches of `limit` so a scheme of millions never
 * loads them all in one transaction: call it again, in a new transaction, until `done`.
 */
export async function expirePolicies(
  em: EntityManager,
  today: IsoDate,
  options: { limit?: number } = {},
): Promise<SweepBatch> {
  assertDate(today, 'today');
  const limit = options.limit ?? DEFAULT_SWEEP_LIMIT;
  const policies = await em.find(
    Policy,
    { deletedAt: null, status: { $ne: 'expired' }, expiryDate: { $lt: today } },
    { limit, orderBy: { expiryDate: 'asc', id: 'asc' } },
  );
  for (const policy of policies) {
    policy.settleTo({ status: 'expired', effectiveDate: policy.effectiveDate ?? null });
  }
  return { count: policies.length, policyIds: policies.map((p) => p.id), done: policies.length < limit };
}
