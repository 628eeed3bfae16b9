import { parsePeriod, type Period } from '../../domain/indicator/periods.ts';
import type { Queryable } from '../../platform/database/queryable.ts';
import { sql } from '../../platform/database/sql.ts';
import type { DataValueSetImport } from './data-value-set.ts';
import { importSummary, type ImportCount, type Rejection, type WebMessage } from './import-summary.ts';
import { resolveOrgUnits, type ResolvedOrgUnit } from './org-unit-directory.ts';
import { DEFAULT_CATEGORY_OPTION_COMBO_UID } from './uids.ts';

/**
 * DHIS2_DENOMINATORS ('POPULATION' or 'POPULATION=WUg3MYWQ7ik|POP_TOTAL') as: the DHIS2 data
 * element id (UID or code, as sent) → the denominator it carries. A name is its own alias.
 */
export function denominatorElements(setting: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const entry of setting.split(',').filter(Boolean)) {
    const [name, ids] = entry.split('=') as [string, string | undefined];
    aliases.set(name, name);
    for (const id of ids?.split('|') ?? []) {
      aliases.set(id, name);
    }
  }
  return aliases;
}

interface Accepted {
  index: number;
  orgUnit: ResolvedOrgUnit;
  element: string;
  period: Period;
  value: string;
}

/** A decimal number as DHIS2 writes NUMBER values (no exponent, no thousands separator). */
const NUMBER = /^-?\d{1,15}(\.\d{1,4})?$/;

const isDefaultCombo = (combo: string | undefined) =>
  combo === undefined ||
  combo === '' ||
  combo === DEFAULT_CATEGORY_OPTION_COMBO_UID ||
  combo.toLowerCase() === 'default';

/**
 * Stores the denominators of a DHIS2 push (in `db`, the caller's transaction) and answers DHIS2's
 * import summary. A value is rejected, with DHIS2's error code and its index, when its data
 * element is not a configured denominator (E7610), its period is not one Kinga reads (E7611), its
 * org unit is not a live location or facility (E7612), or it is disaggregated (E7613: Kinga keeps
 * totals) or not a number (E7619); the others are imported, updated or deleted by the strategy.
 */
export async function importDenominators(
  db: Queryable,
  request: DataValueSetImport,
  elements: ReadonlyMap<string, string>,
): Promise<WebMessage> {
  const rejections: Rejection[] = [];
  const reject = (index: number, errorCode: string, property: string, object: string, message: string) =>
    rejections.push({ index, errorCode, property, object, message });
  const orgUnits = await resolveOrgUnits(
    db,
    request.orgUnitIdScheme,
    request.values.map((v) => v.orgUnit).filter((o): o is string => o !== undefined),
  );

  const accepted: Accepted[] = [];
  for (const incoming of request.values) {
    const { index } = incoming;
    const element = incoming.dataElement === undefined ? undefined : elements.get(incoming.dataElement);
    if (!element) {
      reject(
        index,
        'E7610',
        'dataElement',
        incoming.dataElement ?? '',
        `Data element not found or not accessible: \`${incoming.dataElement ?? ''}\``,
      );
      continue;
    }
    let period: Period;
    try {
      period = parsePeriod(incoming.period ?? '');
    } catch {
      reject(
        index,
        'E7611',
        'period',
        incoming.period ?? '',
        `Period not valid: \`${incoming.period ?? ''}\``,
      );
      continue;
    }
    const orgUnit = incoming.orgUnit === undefined ? undefined : orgUnits.get(incoming.orgUnit);
    if (!orgUnit || orgUnit === 'ambiguous') {
      const why = orgUnit === 'ambiguous' ? ' (it names a location and a health facility)' : '';
      reject(
        index,
        'E7612',
        'orgUnit',
        incoming.orgUnit ?? '',
        `Organisation unit not found or not accessible: \`${incoming.orgUnit ?? ''}\`${why}`,
      );
      continue;
    }
    if (!isDefaultCombo(incoming.categoryOptionCombo) || !isDefaultCombo(incoming.attributeOptionCombo)) {
      const combo = isDefaultCombo(incoming.categoryOptionCombo)
        ? incoming.attributeOptionCombo!
        : incoming.categoryOptionCombo!;
      reject(
        index,
        'E7613',
        'categoryOptionCombo',
        combo,
        `Category option combo not found or not accessible for writing data: \`${combo}\` (Kinga keeps totals only)`,
      );
      continue;
    }
    const value = incoming.value?.trim() ?? '';
    if (request.importStrategy !== 'DELETE' && !NUMBER.test(value)) {
      reject(
        index,
        'E7619',
        'value',
        incoming.dataElement!,
        `Value must match data element's \`NUMBER\` type constraints: value_not_numeric`,
      );
      continue;
    }
    accepted.push({ index, orgUnit, element, period, value });
  }

  const count = await write(db, request, accepted);
  count.ignored += rejections.length;
  return importSummary(count, rejections, {
    orgUnitIdScheme: request.orgUnitIdScheme,
    dataElementIdScheme: request.dataElementIdScheme,
    importStrategy: request.importStrategy,
    dryRun: request.dryRun,
  });
}

const keyOf = (a: Accepted) => `${a.orgUnit.id} ${a.element} ${a.period.code}`;

/**
 * Applies the strategy to the accepted values, in order: a key sent twice counts as imported (or
 * updated) then updated, and its last value stays, as DHIS2 would have it after importing them one
 * by one. A dry run counts the same and writes nothing.
 */
async function write(db: Queryable, request: DataValueSetImport, accepted: Accepted[]): Promise<ImportCount> {
  const count: ImportCount = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  if (accepted.length === 0) {
    return count;
  }
  const existing = new Set(
    (
      await db.query<{ key: string }>(sql`
        select d.org_unit_id || ' ' || d.data_element || ' ' || d.period as key
          from indicator_denominator d
          join unnest(${accepted.map((a) => a.orgUnit.id)}::uuid[], ${accepted.map((a) => a.element)}::text[],
                      ${accepted.map((a) => a.period.code)}::text[]) as k(org_unit_id, data_element, period)
            on d.org_unit_id = k.org_unit_id and d.data_element = k.data_element and d.period = k.period`)
    ).map((r) => r.key),
  );
  const last = new Map<string, Accepted>();
  const deletes = new Set<string>();
  for (const value of accepted) {
    const key = keyOf(value);
    const exists = existing.has(key) || last.has(key);
    switch (request.importStrategy) {
      case 'CREATE_AND_UPDATE':
        count[exists ? 'updated' : 'imported'] += 1;
        last.set(key, value);
        break;
      case 'CREATE':
        if (exists) {
          count.ignored += 1;
        } else {
          count.imported += 1;
          last.set(key, value);
        }
        break;
      case 'UPDATE':
        if (existing.has(key)) {
          count.updated += 1;
          last.set(key, value);
        } else {
          count.ignored += 1;
        }
        break;
      case 'DELETE':
        if (existing.has(key) && !deletes.has(key)) {
          count.deleted += 1;
          deletes.add(key);
        } else {
          count.ignored += 1;
        }
        break;
    }
  }
  if (request.dryRun) {
    return count;
  }
  if (request.importStrategy === 'DELETE') {
    const gone = accepted.filter((a) => deletes.has(keyOf(a)));
    await db.query(sql`
      delete from indicator_denominator d
       using unnest(${gone.map((a) => a.orgUnit.id)}::uuid[], ${gone.map((a) => a.element)}::text[],
                    ${gone.map((a) => a.period.code)}::text[]) as k(org_unit_id, data_element, period)
       where d.org_unit_id = k.org_unit_id and d.data_element = k.data_element and d.period = k.period`);
    return count;
  }
  const rows = [...last.values()];
  await db.query(sql`
    insert into indicator_denominator
      (org_unit_id, data_element, period, org_unit_kind, start_date, end_date, value, updated_at)
    select k.org_unit_id, k.data_element, k.period, k.org_unit_kind, k.start_date, k.end_date, k.value, now()
      from unnest(${rows.map((r) => r.orgUnit.id)}::uuid[], ${rows.map((r) => r.element)}::text[],
                  ${rows.map((r) => r.period.code)}::text[], ${rows.map((r) => r.orgUnit.kind)}::text[],
                  ${rows.map((r) => r.period.start)}::date[], ${rows.map((r) => r.period.end)}::date[],
                  ${rows.map((r) => r.value)}::numeric[])
        as k(org_unit_id, data_element, period, org_unit_kind, start_date, end_date, value)
    on conflict (org_unit_id, data_element, period) do update
      set value = excluded.value, org_unit_kind = excluded.org_unit_kind, start_date = excluded.start_date,
          end_date = excluded.end_date, updated_at = excluded.updated_at`);
  return count;
}
