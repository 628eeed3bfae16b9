import { sql } from '../../../platform/database/sql.ts';
import { boundsOf, type Source } from './source.ts';
import { ageGroupSql, claimStatusSql, claimTypeSql, detailStatusSql, sexSql } from './strata.ts';

/**
 * Claims and their lines, each placed by the claim's facility (PROCESSED_CLAIM).
 *
 * - claim_lines: the lines of the live claims whose treatment ended in the period (began, when
 *   it has no end), read once, with their claim's strata: the insuree's age and sex, the main
 *   diagnosis, and the claim's product: the product of its first accepted line (by sequence) that
 *   has one, else of its first line that has one, else NONE (a claim rejected before any policy
 *   was found, or not checked yet). A claim always has a line (claim.no-lines).
 * - claims: one row per claim (its first line's).
 * - lines: each line by its own product (openIMIS takes the line's), else the claim's; quantities
 *   are the approved quantity, else the quantity given.
 * - received: claims received in the period (created, in the scheme's time zone).
 * - valuated: claims valuated in the period, with the days from the claim date to that day.
 */
export const claimsSource: Source = {
  name: 'claims',
  ctes(context) {
    const { start, end, from, until } = boundsOf(context);
    return sql`claim_lines as (
      select s.root, c.status, c.visit_type, l.sequence, l.kind, l.code, l.status as line_status,
             l.rejection_reason, l.product_id, coalesce(l.quantity_approved, l.quantity) as qty,
             l.benefit, l.submitted, i.birth_date, i.gender, d.code as icd,
             row_number() over claim = 1 as first_line,
             coalesce((array_agg(l.product_id) filter (where l.status = 'passed' and l.product_id is not null)
                         over claim)[1],
                      (array_agg(l.product_id) filter (where l.product_id is not null) over claim)[1]) as claim_product_id
        from claim c join scope_facility s on s.unit = c.facility_id
        join claim_line l on l.claim_id = c.id
        join insuree i on i.id = c.insuree_id join diagnosis d on d.id = c.main_diagnosis_id
       where c.deleted_at is null and coalesce(c.date_to, c.date_from) between ${start} and ${end}
      window claim as (partition by s.root, c.id order by l.sequence
                       rows between unbounded preceding and unbounded following)
    ),
    lines as (
      select cl.root, cl.first_line, ${claimStatusSql(sql`cl.status`)} as claim_status,
             ${claimTypeSql(sql`cl.visit_type`)} as claim_type,
             ${ageGroupSql(sql`cl.birth_date`, context.ageBounds, context.period.end)} as age_group,
             ${sexSql(sql`cl.gender`)} as sex, cl.icd,
             coalesce(cp.code, 'NONE') as claim_product, coalesce(lp.code, cp.code, 'NONE') as product,
             ${detailStatusSql(sql`cl.line_status`, sql`cl.status`)} as detail_status,
             cl.kind, cl.code as service,
             case when cl.line_status = 'rejected' then cl.rejection_reason::text end as rejection_reason,
             (cl.line_status = 'rejected')::int as rejected, cl.qty, cl.benefit, cl.submitted
        from claim_lines cl
        left join product cp on cp.id = cl.claim_product_id left join product lp on lp.id = cl.product_id
    ),
    claims as (
      select root, claim_status, claim_type, age_group, sex, claim_product as product from lines where first_line
    ),
    received as (
      select s.root, ${claimTypeSql(sql`c.visit_type`)} as claim_type
        from claim c join scope_facility s on s.unit = c.facility_id
       where c.deleted_at is null and c.created_at >= ${from} and c.created_at < ${until}
    ),
    valuated as (
      select s.root, ${claimTypeSql(sql`c.visit_type`)} as claim_type,
             (c.valuated_at at time zone ${context.timeZone})::date - c.date_claimed as days
        from claim c join scope_facility s on s.unit = c.facility_id
       where c.deleted_at is null and c.valuated_at >= ${from} and c.valuated_at < ${until}
    )`;
  },
  aggregates: {
    NB_CLAIM: () => ({ facts: 'claims', num: '1' }),
    NB_CLAIM_ITEM: () => ({ facts: 'lines', where: "f.kind = 'item'", num: 'f.qty' }),
    NB_CLAIM_SERVICE: () => ({ facts: 'lines', where: "f.kind = 'service'", num: 'f.qty' }),
    NB_CLAIM_SERVICE_ICD: () => ({ facts: 'lines', where: "f.kind = 'service'", num: 'f.qty' }),
    SUM_VALUATED_SERVICE: () => ({ facts: 'lines', where: "f.kind = 'service'", num: 'f.benefit' }),
    SUM_ASKED_SERVICE: () => ({ facts: 'lines', where: "f.kind = 'service'", num: 'f.submitted' }),
    REJECTION_RATE: () => ({
      facts: 'lines',
      num: 'f.rejected',
      den: '1',
      multiplier: 100,
      denominatorOfTotal: true,
    }),
    CLAIMS_RECEIVED: () => ({ facts: 'received', num: '1' }),
    CLAIMS_VALUATED: () => ({ facts: 'valuated', num: '1' }),
    DAYS_TO_VALUATION: () => ({ facts: 'valuated', num: 'f.days', den: '1' }),
  },
};
