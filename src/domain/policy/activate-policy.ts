import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { laterOf } from './calendar.ts';
import { assertDate } from './issue-policy.ts';
import { openLedger } from './policy-book.ts';
import type { PolicyRules } from './policy-rules.ts';
import { allocate, type PremiumAllocation } from './premium-allocation.ts';

/**
 * Activates a paid policy by hand (POLICY_ACTIVATION=manual leaves paid policies ready): cover
 * begins on the later of `date` and the start date, for every member whose premium is paid.
 */
export async function activatePolicy(
  em: EntityManager,
  input: { policyId: string; date: IsoDate },
  rules: PolicyRules,
): Promise<PremiumAllocation> {
  assertDate(input.date, 'date');
  const book = await openLedger(em, input.policyId);
  const { policy } = book;
  if (policy.status !== 'ready') {
    throw new KingaError('policy.not-ready', { status: policy.status }, { field: 'status' });
  }
  const previousStatus = policy.status;
  policy.settleTo({ status: 'active', effectiveDate: laterOf(input.date, policy.startDate) });
  return { ...allocate(book, rules), previousStatus };
}
