import { raw, type EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { DEFAULT_SWEEP_LIMIT, type SweepBatch } from './expire-policies.ts';
import { assertDate } from './issue-policy.ts';
import { paymentDeadline } from './policy-dates.ts';
import { Policy } from './policy.entity.ts';

/**
 * Suspends the idle (not fully paid) policies whose payment grace period is over: `today` is
 * after the start date + the product's payment grace months (`paymentDeadline`), and the policy
 * has not expired yet. A suspended policy paid in full later is reinstated by `recordPremium`.
 * Batched like `expirePolicies`.
 */
export async function suspendUnpaidPolicies(
  em: EntityManager,
  today: IsoDate,
  options: { limit?: number } = {},
): Promise<SweepBatch> {
  assertDate(today, 'today');
  const limit = options.limit ?? DEFAULT_SWEEP_LIMIT;
  // PostgreSQL's date + interval clamps to the month's end, as paymentDeadline does.
  const overdue = raw(
    (alias) =>
      `(${alias}.start_date + make_interval(months => (select pr.grace_period_payment_months from product pr where pr.id = ${alias}.product_id)))::date < ?`,
    [today],
  );
  const policies = await em.find(
    Policy,
    { deletedAt: null, status: 'idle', expiryDate: { $gte: today }, [overdue]: [] },
    { limit, orderBy: { startDate: 'asc', id: 'asc' }, populate: ['product'] },
  );
  const suspended = policies.filter((policy) => paymentDeadline(policy.product, policy.startDate) < today);
  for (const policy of suspended) {
    policy.settleTo({ status: 'suspended', effectiveDate: null });
  }
  return { count: suspended.length, policyIds: suspended.map((p) => p.id), done: policies.length < limit };
}
