import { raw, type EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { addDays } from './calendar.ts';
import { DEFAULT_SWEEP_LIMIT } from './expire-policies.ts';
import { assertDate } from './issue-policy.ts';
import { Policy } from './policy.entity.ts';
import { isSoldToFamily } from './product-availability.ts';
import { officerInChargeOn, renewalProductOn } from './renewal-chains.ts';
import { RenewalPrompt } from './renewal-prompt.entity.ts';

/**
 * Why a renewal needs an officer's attention. openIMIS keeps a bitmask and sets its "product
 * invalid" bit when the product *is* valid (openimis.md §2.4); these say what they mean.
 */
export const RenewalWarnings = [
  /** The product is no longer on sale; the prompt names its conversion product. */
  'product-replaced',
  /** Neither the product nor its conversion chain is on sale: the prompt keeps the old product. */
  'no-product-on-sale',
  /** The renewal product is not sold where the family lives. */
  'product-not-sold-here',
  /** The policy's officer no longer works; the prompt goes to their substitute. */
  'officer-replaced',
  /** Nobody down the substitute chain works (or the policy had no officer). */
  'no-officer',
] as const;
export type RenewalWarning = (typeof RenewalWarnings)[number];

export interface PromptBatch {
  count: number;
  prompts: RenewalPrompt[];
  /** Fewer than the limit were found: nothing is left for `today`. */
  done: boolean;
}

/**
 * Prompts the renewal of every active policy expiring within `daysBefore` days of `today`
 * (openIMIS insert_renewals, 14 days by default), once per policy and not when it is already
 * renewed: under the product the renewal will be sold under (conversion chain, on the day after
 * expiry) and to the officer in charge today (substitute chain), with warnings.
 */
export async function promptRenewals(
  em: EntityManager,
  today: IsoDate,
  daysBefore: number,
  options: { limit?: number } = {},
): Promise<PromptBatch> {
  assertDate(today, 'today');
  const limit = options.limit ?? DEFAULT_SWEEP_LIMIT;
  const unprompted = raw(
    (alias) => `not exists (select 1 from renewal_prompt rp where rp.policy_id = ${alias}.id)`,
  );
  const unrenewed = raw(
    (alias) =>
      `not exists (select 1 from policy r where r.previous_id = ${alias}.id and r.deleted_at is null)`,
  );
  const policies = await em.find(
    Policy,
    {
      deletedAt: null,
      status: 'active',
      expiryDate: { $gte: today, $lte: addDays(today, daysBefore) },
      [unprompted]: [],
      [unrenewed]: [],
    },
    { limit, orderBy: { expiryDate: 'asc', id: 'asc' }, populate: ['product', 'officer', 'family.village'] },
  );
  const prompts: RenewalPrompt[] = [];
  for (const policy of policies) {
    const warnings: RenewalWarning[] = [];
    const renewal = await renewalProductOn(em, policy.product, addDays(policy.expiryDate, 1));
    if (!renewal) {
      warnings.push('no-product-on-sale');
    } else if (renewal.replaced) {
      warnings.push('product-replaced');
    }
    const product = renewal?.product ?? policy.product;
    if (!(await isSoldToFamily(em, product, policy.family))) {
      warnings.push('product-not-sold-here');
    }
    const inCharge = await officerInChargeOn(em, policy.officer, today);
    if (!inCharge.officer) {
      warnings.push('no-officer');
    } else if (inCharge.replaced) {
      warnings.push('officer-replaced');
    }
    prompts.push(
      em.create(RenewalPrompt, {
        policy,
        product,
        officer: inCharge.officer,
        promptDate: today,
        warnings,
        status: 'pending',
      }),
    );
  }
  return { count: prompts.length, prompts, done: policies.length < limit };
}
