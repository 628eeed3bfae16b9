import { sql, type Sql } from '../../../platform/database/sql.ts';
import { boundsOf, existedAtEnd, type Source, type SourceContext } from './source.ts';
import { ageGroupSql, sexSql } from './strata.ts';

/** people, covered and member_cover: the stocks on the period's last day. */
function peopleCtes(context: SourceContext): Sql {
  const { end, until } = boundsOf(context);
  return sql`people as (
      select s.root,
             ${ageGroupSql(sql`i.birth_date`, context.ageBounds, context.period.end)} as age_group,
             ${sexSql(sql`i.gender`)} as sex,
             -- Two covers under one product count once (rare: only then is the list sorted out).
             case when cardinality(cover.products) > 1 then array(select distinct unnest(cover.products))
                  else cover.products end as products,
             count(*) as n
        from insuree i join family f on f.id = i.family_id join scope_location s on s.unit = f.village_id
        left join (select ip.insuree_id, array_agg(pr.code) as products
                     from insuree_policy ip join policy p on p.id = ip.policy_id
                     join product pr on pr.id = p.product_id
                    where ip.deleted_at is null and p.deleted_at is null
                      and ip.effective_date <= ${end} and ip.expiry_date >= ${end}
                    group by ip.insuree_id) cover on cover.insuree_id = i.id
       where ${existedAtEnd('i', until)}
       group by 1, 2, 3, 4
    ),
    covered as (
      select root, age_group, sex, n from people where products is not null
    ),
    member_cover as (
      select g.root, g.age_group, g.sex, k.product, g.n
        from people g cross join lateral unnest(g.products) as k(product)
    )`;
}

/** home_claims: the claims whose treatment ended in the period, by their insuree's village. */
function homeClaimsCte(context: SourceContext): Sql {
  const { start, end } = boundsOf(context);
  return sql`home_claims as (
      select s.root
        from claim c join insuree i on i.id = c.insuree_id join family f on f.id = i.family_id
        join scope_location s on s.unit = f.village_id
       where c.deleted_at is null and coalesce(c.date_to, c.date_from) between ${start} and ${end}
    )`;
}

const stocks = {
  NB_INSUREES: () => ({ facts: 'people', num: 'f.n' }),
  MEMBERS_COVERED: () => ({ facts: 'member_cover', num: 'f.n', total: { facts: 'covered', num: 'f.n' } }),
  COVERAGE_PER_1000: (context: SourceContext) => ({
    facts: 'covered',
    num: 'f.n',
    multiplier: 1000,
    denominatorPerRoot: context.populations,
  }),
};

/**
 * Insurees and their own cover, each placed by the village of their family: NB_INSUREES,
 * MEMBERS_COVERED, and the per-1 000 rates over members covered.
 *
 * - people: the insurees that existed on the period's last day, counted per asked org unit above
 *   them, age group, sex, and the codes of the products whose cover of them (InsureePolicy) is in
 *   force that day (null when none is). One pass over a million insurees leaves a few tens of
 *   thousands of rows, which every indicator below reads.
 * - covered: the members (MEMBERS_COVERED's total, a member once however many products cover
 *   them); member_cover: per product covering members (its strata).
 * - utilisation: claims whose treatment ended in the period, by their insuree's village (home_claims),
 *   over the members covered on its last day.
 */
export const peopleSource: Source = {
  name: 'people',
  ctes(context) {
    return sql`${peopleCtes(context)},
    ${homeClaimsCte(context)},
    utilisation as (
      select root, 1 as num, 0 as den from home_claims
      union all
      select root, 0, n from covered
    )`;
  },
  aggregates: {
    ...stocks,
    UTILISATION_PER_1000: () => ({ facts: 'utilisation', num: 'f.num', den: 'f.den', multiplier: 1000 }),
  },
  // A claim changes a utilisation, not the stocks: its numerator is a part of its own.
  cellParts: [
    {
      name: 'people',
      ctes: peopleCtes,
      aggregates: {
        ...stocks,
        UTILISATION_PER_1000: () => ({ facts: 'covered', num: '0', den: 'f.n', multiplier: 1000 }),
      },
    },
    {
      name: 'utilisation',
      ctes: homeClaimsCte,
      aggregates: {
        UTILISATION_PER_1000: () => ({ facts: 'home_claims', num: '1', den: '0', multiplier: 1000 }),
      },
    },
  ],
};
