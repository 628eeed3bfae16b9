import type { OrgUnit, OrgUnitLevel } from '../../../domain/indicator/cube.ts';
import { isUuid } from '../../../domain/shared/ids.ts';
import type { Queryable } from '../../../platform/database/queryable.ts';
import { raw, sql, type Sql } from '../../../platform/database/sql.ts';

/**
 * The org-unit tree indicators are reported for: the live locations (region → district → ward →
 * village, by parent) and the live health facilities, each a child of its location.
 */

export type OrgUnitKey = 'id' | 'code' | 'dhis2Uid' | 'dhis2Code';

/**
 * Where an org unit's DHIS2 UID and code are kept (the mapping of locations and health facilities,
 * PUT /dhis2/orgUnits or their FHIR identifiers): every read and lookup below goes through it.
 */
export function dhis2IdentifiersOf(alias: 'l' | 'o'): { uid: Sql; code: Sql } {
  return { uid: raw(`${alias}.dhis2_uid`), code: raw(`${alias}.dhis2_code`) };
}

interface OrgUnitRow {
  id: string;
  kind: 'location' | 'facility';
  level: OrgUnitLevel;
  code: string;
  name: string;
  parent_id: string | null;
  dhis2_uid: string | null;
  dhis2_code: string | null;
}

/** The column (or expression) a key reads, per table alias. */
function keyOf(key: OrgUnitKey, alias: 'l' | 'o'): Sql {
  switch (key) {
    case 'id':
      return raw(`${alias}.id::text`);
    case 'code':
      return raw(`${alias}.code`);
    case 'dhis2Uid':
      return dhis2IdentifiersOf(alias).uid;
    case 'dhis2Code':
      return dhis2IdentifiersOf(alias).code;
  }
}

/** Live locations and facilities matching `locationWhere` / `facilityWhere` (over aliases l and o). */
async function readOrgUnits(db: Queryable, locationWhere: Sql, facilityWhere: Sql): Promise<OrgUnit[]> {
  const l = dhis2IdentifiersOf('l');
  const o = dhis2IdentifiersOf('o');
  const rows = await db.query<OrgUnitRow>(sql`
    select l.id::text as id, 'location' as kind, l.type as level, l.code, l.name,
           l.parent_id::text as parent_id, ${l.uid} as dhis2_uid, ${l.code} as dhis2_code
      from location l
     where l.deleted_at is null and (${locationWhere})
    union all
    select o.id::text, 'facility', 'HF', o.code, o.name, o.location_id::text, ${o.uid}, ${o.code}
      from organisation o
     where o.kind = 'health-facility' and o.deleted_at is null and (${facilityWhere})
     order by kind desc, code`);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    level: r.level,
    code: r.code,
    name: r.name,
    parentId: r.parent_id,
    dhis2Uid: r.dhis2_uid,
    dhis2Code: r.dhis2_code,
  }));
}

/**
 * The org units `refs` name by `key`, in one query: ref → org unit, unknown refs left out. A code
 * held by both a location and a facility names the location.
 */
export async function findOrgUnits(
  db: Queryable,
  refs: readonly string[],
  key: OrgUnitKey,
): Promise<Map<string, OrgUnit>> {
  const wanted = key === 'id' ? refs.filter(isUuid) : [...refs];
  const found = new Map<string, OrgUnit>();
  if (wanted.length === 0) {
    return found;
  }
  const units = await readOrgUnits(
    db,
    sql`${keyOf(key, 'l')} = any(${wanted}::text[])`,
    sql`${keyOf(key, 'o')} = any(${wanted}::text[])`,
  );
  for (const unit of units) {
    const ref = valueOf(unit, key);
    if (ref !== null && !found.has(ref)) {
      found.set(ref, unit);
    }
  }
  return found;
}

/** An org unit named by its Kinga id, its code, its DHIS2 UID or its DHIS2 code (tried in that order). */
export async function resolveOrgUnit(db: Queryable, ref: string): Promise<OrgUnit | null> {
  for (const key of ['id', 'code', 'dhis2Uid', 'dhis2Code'] as const) {
    const unit = (await findOrgUnits(db, [ref], key)).get(ref);
    if (unit) {
      return unit;
    }
  }
  return null;
}

/** The live children of `parents`: the locations under them and the facilities in them. */
export function childrenOf(db: Queryable, parents: readonly OrgUnit[]): Promise<OrgUnit[]> {
  const ids = parents.filter((p) => p.kind === 'location').map((p) => p.id);
  return readOrgUnits(db, sql`l.parent_id = any(${ids}::uuid[])`, sql`o.location_id = any(${ids}::uuid[])`);
}

/** Every live org unit of `levels` (every ward, every facility …). */
export function orgUnitsAtLevels(db: Queryable, levels: readonly OrgUnitLevel[]): Promise<OrgUnit[]> {
  const types = levels.filter((level) => level !== 'HF');
  return readOrgUnits(
    db,
    sql`l.type = any(${types}::text[])`,
    levels.includes('HF') ? raw('true') : raw('false'),
  );
}

function valueOf(unit: OrgUnit, key: OrgUnitKey): string | null {
  switch (key) {
    case 'id':
      return unit.id;
    case 'code':
      return unit.code;
    case 'dhis2Uid':
      return unit.dhis2Uid;
    case 'dhis2Code':
      return unit.dhis2Code;
  }
}
