import type { Queryable } from '../../platform/database/queryable.ts';
import { raw, sql } from '../../platform/database/sql.ts';
import type { IdScheme } from './data-value-set.ts';
import { derivedOrgUnitUid } from './uids.ts';

export interface ResolvedOrgUnit {
  id: string;
  kind: 'location' | 'facility';
}

/** What a DHIS2 org-unit id names: one record, none, or (a code shared by a location and a facility) two. */
export type OrgUnitMatch = ResolvedOrgUnit | 'ambiguous';

interface Row {
  id: string;
  kind: 'location' | 'facility';
  key: string;
}

/**
 * Finds the live locations and health facilities DHIS2 names by `scheme`, as the exports name
 * them: by UID, the mapped UID, else the UID derived from the id of a record not mapped; by
 * CODE, the mapped DHIS2 code, else the Kinga code of a record without one.
 */
export async function resolveOrgUnits(
  db: Queryable,
  scheme: IdScheme,
  keys: readonly string[],
): Promise<Map<string, OrgUnitMatch>> {
  const wanted = [...new Set(keys)];
  const found = new Map<string, OrgUnitMatch>();
  const add = (rows: Row[]) => {
    for (const row of rows) {
      const known = found.get(row.key);
      found.set(row.key, known && (known === 'ambiguous' || known.id !== row.id) ? 'ambiguous' : row);
    }
  };
  if (wanted.length === 0) {
    return found;
  }
  const mappedColumn = scheme === 'UID' ? 'dhis2_uid' : 'dhis2_code';
  add(await mapped(db, mappedColumn, wanted));
  const rest = wanted.filter((key) => !found.has(key));
  if (rest.length === 0) {
    return found;
  }
  if (scheme === 'CODE') {
    add(
      await db.query<Row>(sql`
        select id, 'location' as kind, code as key from location
         where deleted_at is null and dhis2_code is null and code = any(${rest}::text[])
        union all
        select id, 'facility', code from organisation
         where deleted_at is null and kind = 'health-facility' and dhis2_code is null and code = any(${rest}::text[])`),
    );
  } else {
    // Derived UIDs cannot be looked up by index: derive them for every unmapped record.
    const restSet = new Set(rest);
    const unmapped = await db.query<{ id: string; kind: 'location' | 'facility' }>(sql`
      select id, 'location' as kind from location where deleted_at is null and dhis2_uid is null
      union all
      select id, 'facility' from organisation
       where deleted_at is null and kind = 'health-facility' and dhis2_uid is null`);
    add(unmapped.map((r) => ({ ...r, key: derivedOrgUnitUid(r.id) })).filter((r) => restSet.has(r.key)));
  }
  return found;
}

async function mapped(db: Queryable, column: 'dhis2_uid' | 'dhis2_code', keys: string[]): Promise<Row[]> {
  const key = raw(column);
  return db.query<Row>(sql`
    select id, 'location' as kind, ${key} as key from location
     where deleted_at is null and ${key} = any(${keys}::text[])
    union all
    select id, 'facility', ${key} from organisation
     where deleted_at is null and kind = 'health-facility' and ${key} = any(${keys}::text[])`);
}
