import { ageBands } from '../../../domain/indicator/catalogue.ts';
import { addMonths } from '../../../domain/policy/calendar.ts';
import type { IsoDate } from '../../../domain/shared/dates.ts';
import { raw, sql, type Sql } from '../../../platform/database/sql.ts';

/**
 * The SQL that puts a record in a category option (catalogue.ts Categories), one expression per
 * category, over columns the caller names. Codes are the catalogue's option codes, which DHIS2
 * knows (openIMIS's, integrations.md §2.1).
 */

/**
 * AGE_GROUP: the band of the age in whole years on the period's last day. A person is at least
 * `from` years old there when born on or before the day `from` years earlier (29 February counts
 * as 28 February in a common year, as PostgreSQL's age() does). No birth date: no band.
 */
export function ageGroupSql(birthDate: Sql, bounds: readonly number[], periodEnd: IsoDate): Sql {
  const bands = ageBands(bounds);
  const branches: Sql[] = [];
  for (let i = 0; i < bands.length - 1; i++) {
    const next = bands[i + 1]!;
    branches.push(
      sql` when ${birthDate} > ${addMonths(periodEnd, -12 * next.from)}::date then ${bands[i]!.code}`,
    );
  }
  return sql`case when ${birthDate} is null then null${joined(branches)} else ${bands.at(-1)!.code} end`;
}

/** SEX: the insuree's gender; unknown counts as O (other or unknown). */
export function sexSql(gender: Sql): Sql {
  return sql`coalesce(${gender}, 'O')`;
}

/** CLAIM_STATUS: openIMIS calls a valuated claim approved. */
export function claimStatusSql(status: Sql): Sql {
  return sql`case ${status} when 'valuated' then 'APPROVED' when 'processed' then 'PROCESSED'
    when 'checked' then 'CHECKED' when 'entered' then 'ENTERED' when 'rejected' then 'REJECTED' end`;
}

/** CLAIM_TYPE: the visit type. */
export function claimTypeSql(visitType: Sql): Sql {
  return sql`case ${visitType} when 'emergency' then 'EMERGENCY' when 'referral' then 'REFERRALS' else 'OTHER' end`;
}

/**
 * DETAIL_STATUS: a line the rules passed is approved once its claim was checked (or went further);
 * before that (entered) or on a claim rejected as a whole it was not assessed.
 */
export function detailStatusSql(lineStatus: Sql, claimStatus: Sql): Sql {
  return sql`case when ${lineStatus} = 'rejected' then 'REJECTED'
    when ${claimStatus} in ('checked', 'processed', 'valuated') then 'APPROVED' else 'NOT_ASSESSED' end`;
}

/** PAYMENT_STATUS of a family's policy from what was paid by the period's end (none: NO_POLICY). */
export function paymentStatusSql(policyId: Sql, paid: Sql, value: Sql): Sql {
  return sql`case when ${policyId} is null then 'NO_POLICY' when ${paid} >= ${value} then 'PAID'
    when ${paid} > 0 then 'PARTIALY_PAID' else 'NOT_PAID' end`;
}

/** PAYMENT_STATE: a new policy or a renewal (none: NO_POLICY). */
export function paymentStateSql(stage: Sql): Sql {
  return sql`case ${stage} when 'N' then 'NEW' when 'R' then 'RENEW' else 'NO_POLICY' end`;
}

function joined(fragments: readonly Sql[]): Sql {
  return fragments.reduce((all, fragment) => sql`${all}${fragment}`, raw(''));
}
