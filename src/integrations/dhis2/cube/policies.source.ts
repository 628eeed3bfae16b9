import { sql } from '../../../platform/database/sql.ts';
import { boundsOf, type Source } from './source.ts';
import { paymentStateSql } from './strata.ts';

/**
 * Policies and premiums, each placed by the village of the policy's family, by the policy's
 * product (a premium's product is its policy's).
 *
 * - pol_active: in force on the period's last day (effective by then, not expired).
 * - pol_enrolled: enrolled in the period, with what its ledger (every kind) had received by its end.
 * - pol_expiring: expired in the period (last day of cover in it), and whether a live renewal names it.
 * - contributions: payments and reversals paid in the period (credit transfers move money already
 *   counted between policies, so they are not contributions).
 */
export const policiesSource: Source = {
  name: 'policies',
  ctes(context) {
    const { start, end } = boundsOf(context);
    return sql`pol_active as (
      select s.root, pr.code as product
        from policy p join family f on f.id = p.family_id join scope_location s on s.unit = f.village_id
        join product pr on pr.id = p.product_id
       where p.deleted_at is null and p.effective_date <= ${end} and p.expiry_date >= ${end}
    ),
    pol_enrolled as (
      select s.root, pr.code as product, ${paymentStateSql(sql`p.stage`)} as payment_state, p.value,
             coalesce((select sum(x.amount) from premium x
                        where x.policy_id = p.id and x.deleted_at is null and x.pay_date <= ${end}), 0) as paid
        from policy p join family f on f.id = p.family_id join scope_location s on s.unit = f.village_id
        join product pr on pr.id = p.product_id
       where p.deleted_at is null and p.enrol_date between ${start} and ${end}
    ),
    pol_expiring as (
      select s.root, pr.code as product,
             (exists (select 1 from policy r where r.previous_id = p.id and r.deleted_at is null))::int as renewed
        from policy p join family f on f.id = p.family_id join scope_location s on s.unit = f.village_id
        join product pr on pr.id = p.product_id
       where p.deleted_at is null and p.expiry_date between ${start} and ${end}
    ),
    contributions as (
      select s.root, pr.code as product, x.amount
        from premium x join policy p on p.id = x.policy_id join family f on f.id = p.family_id
        join scope_location s on s.unit = f.village_id join product pr on pr.id = p.product_id
       where x.deleted_at is null and x.kind in ('payment', 'reversal')
         and x.pay_date between ${start} and ${end}
    )`;
  },
  aggregates: {
    SUM_CONTRIBUTIONS: () => ({ facts: 'contributions', num: 'f.amount' }),
    ACTIVE_POLICIES: () => ({ facts: 'pol_active', num: '1' }),
    POLICIES_ENROLLED: () => ({ facts: 'pol_enrolled', num: '1' }),
    PREMIUM_DUE: () => ({ facts: 'pol_enrolled', num: 'f.value' }),
    PREMIUM_COLLECTED: () => ({ facts: 'pol_enrolled', num: 'f.paid' }),
    RENEWAL_RATE: () => ({ facts: 'pol_expiring', num: 'f.renewed', den: '1', multiplier: 100 }),
  },
};
