import { sql } from '../../../platform/database/sql.ts';
import { boundsOf, existedAtEnd, type Source } from './source.ts';
import { ageGroupSql, paymentStateSql, paymentStatusSql, sexSql } from './strata.ts';

/**
 * NB_FAMILY: families that existed on the period's last day, by village, with their head's age
 * and sex and their latest policy in force or waiting that day (enrolled by then, not expired
 * before it; latest by expiry date, then by id, as latestPolicyOf picks it): paid in full, in
 * part or not by that day (its premium ledger, every kind, by pay date), new or a renewal.
 */
export const familiesSource: Source = {
  name: 'families',
  ctes(context) {
    const { end, until } = boundsOf(context);
    return sql`latest as (
      select distinct on (p.family_id) p.family_id, p.id, p.stage, p.value, coalesce(paid.amount, 0) as paid
        from policy p
        left join (select pr.policy_id, sum(pr.amount) as amount
                     from premium pr where pr.deleted_at is null and pr.pay_date <= ${end}
                    group by pr.policy_id) paid on paid.policy_id = p.id
       where p.deleted_at is null and p.enrol_date <= ${end} and p.expiry_date >= ${end}
       order by p.family_id, p.expiry_date desc, p.id desc
    ),
    families as (
      select s.root,
             ${ageGroupSql(sql`h.birth_date`, context.ageBounds, context.period.end)} as age_group,
             ${sexSql(sql`h.gender`)} as sex,
             ${paymentStatusSql(sql`l.id`, sql`l.paid`, sql`l.value`)} as payment_status,
             ${paymentStateSql(sql`l.stage`)} as payment_state
        from family f join scope_location s on s.unit = f.village_id
        left join insuree h on h.id = f.head_id
        left join latest l on l.family_id = f.id
       where ${existedAtEnd('f', until)}
    )`;
  },
  aggregates: {
    NB_FAMILY: () => ({ facts: 'families', num: '1' }),
  },
};
