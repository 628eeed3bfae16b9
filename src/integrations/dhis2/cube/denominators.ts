import type { Period } from '../../../domain/indicator/periods.ts';
import type { Queryable } from '../../../platform/database/queryable.ts';
import { sql } from '../../../platform/database/sql.ts';

/**
 * Denominators DHIS2 pushes to Kinga (a population per org unit), kept in `indicator_denominator`
 * (IndicatorDenominator: org unit, data element, period with its first and last day, value). The
 * one reader of that table: for
 * each org unit, the value of `dataElement` whose period holds the period's last day (the shortest
 * such period when several do: a monthly figure wins over the yearly one). An org unit with no
 * such row is absent from the map: the indicators over it are then left out for that org unit.
 */
export async function denominatorsOf(
  db: Queryable,
  dataElement: string,
  orgUnitIds: readonly string[],
  period: Period,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (orgUnitIds.length === 0) {
    return found;
  }
  const rows = await db.query<{ org_unit_id: string; value: string }>(sql`
    select distinct on (d.org_unit_id) d.org_unit_id::text as org_unit_id, d.value::text as value
      from indicator_denominator d
     where d.org_unit_id = any(${orgUnitIds}::uuid[]) and d.data_element = ${dataElement}
       and d.start_date <= ${period.end}::date and d.end_date >= ${period.end}::date
     order by d.org_unit_id, d.end_date - d.start_date, d.updated_at desc`);
  for (const row of rows) {
    found.set(row.org_unit_id, row.value);
  }
  return found;
}
