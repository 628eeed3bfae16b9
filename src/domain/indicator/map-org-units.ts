import type { EntityManager } from '@mikro-orm/core';
import { Location } from '../location/location.entity.ts';
import { Organisation } from '../organisation/organisation.entity.ts';
import { KingaError } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { checkedDhis2Mapping, type Dhis2Mapping, type MappedRecord } from './org-unit-mapping.ts';

export type OrgUnitKind = 'location' | 'facility';

/** One line of a bulk mapping: a location or facility (id or code) and what to set. */
export interface OrgUnitMappingRow extends Dhis2Mapping {
  kind: OrgUnitKind;
  /** The record's id or its Kinga code. */
  key: string;
}

export interface OrgUnitMappingChange {
  /** The row's position in the request (0-based). */
  row: number;
  kind: OrgUnitKind;
  id: string;
  code: string;
  dhis2Uid: string | null;
  dhis2Code: string | null;
  previous: { dhis2Uid: string | null; dhis2Code: string | null };
}

export interface OrgUnitMappingResult {
  changed: OrgUnitMappingChange[];
  unchanged: number;
}

/** Errors listed in one answer; the rest are counted. */
const MAX_LISTED = 20;

interface Planned {
  row: number;
  kind: OrgUnitKind;
  record: MappedRecord;
  dhis2Uid: string | null;
  dhis2Code: string | null;
}

/**
 * Maps many locations and health facilities to DHIS2 org units at once, all or nothing: every row
 * is checked (the record exists, the UID is valid, no UID or code ends up on two records) before
 * anything is written, and one error anywhere changes nothing. A row leaves out what it does not
 * change; a null clears. UIDs may move between the records of one request (a swap).
 */
export async function mapOrgUnits(
  em: EntityManager,
  rows: readonly OrgUnitMappingRow[],
): Promise<OrgUnitMappingResult> {
  const errors: string[] = [];
  const records = await findRecords(em, rows);
  const planned: Planned[] = [];
  const seen = new Set<MappedRecord>();
  rows.forEach((row, index) => {
    const record = records.get(`${row.kind} ${row.key}`);
    if (!record) {
      errors.push(`row ${index}: no ${row.kind === 'location' ? 'location' : 'health facility'} ${row.key}`);
      return;
    }
    if (seen.has(record)) {
      errors.push(`row ${index}: ${row.kind} ${record.code} is given twice`);
      return;
    }
    seen.add(record);
    try {
      const mapping = checkedDhis2Mapping(row);
      planned.push({
        row: index,
        kind: row.kind,
        record,
        dhis2Uid: mapping.dhis2Uid === undefined ? (record.dhis2Uid ?? null) : mapping.dhis2Uid,
        dhis2Code: mapping.dhis2Code === undefined ? (record.dhis2Code ?? null) : mapping.dhis2Code,
      });
    } catch (error) {
      errors.push(`row ${index}: ${(error as Error).message}`);
    }
  });
  errors.push(...duplicatesWithin(planned), ...(await heldOutside(em, planned)));
  if (errors.length > 0) {
    const listed = errors.slice(0, MAX_LISTED).join('; ');
    const more = errors.length > MAX_LISTED ? `; and ${errors.length - MAX_LISTED} more` : '';
    throw new KingaError('dhis2.org-units-rejected', { detail: listed + more });
  }

  const changes = planned.filter(
    (p) => p.dhis2Uid !== (p.record.dhis2Uid ?? null) || p.dhis2Code !== (p.record.dhis2Code ?? null),
  );
  const result = changes.map((p): OrgUnitMappingChange => ({
    row: p.row,
    kind: p.kind,
    id: p.record.id,
    code: p.record.code,
    dhis2Uid: p.dhis2Uid,
    dhis2Code: p.dhis2Code,
    previous: { dhis2Uid: p.record.dhis2Uid ?? null, dhis2Code: p.record.dhis2Code ?? null },
  }));
  if (movesBetween(changes)) {
    // The unique indexes are checked row by row: free the moved values first.
    for (const p of changes) {
      p.record.dhis2Uid = null;
      p.record.dhis2Code = null;
    }
    await em.flush();
  }
  for (const p of changes) {
    p.record.dhis2Uid = p.dhis2Uid;
    p.record.dhis2Code = p.dhis2Code;
  }
  return { changed: result, unchanged: planned.length - changes.length };
}

/** The live records the rows name, keyed `kind key`, loaded in two queries. */
async function findRecords(
  em: EntityManager,
  rows: readonly OrgUnitMappingRow[],
): Promise<Map<string, MappedRecord>> {
  const found = new Map<string, MappedRecord>();
  for (const kind of ['location', 'facility'] as const) {
    const keys = rows.filter((r) => r.kind === kind).map((r) => r.key);
    if (keys.length === 0) {
      continue;
    }
    const ids = keys.filter(isUuid).map((k) => k.toLowerCase());
    const where = { $or: [{ id: { $in: ids } }, { code: { $in: keys } }], deletedAt: null };
    const records: MappedRecord[] =
      kind === 'location'
        ? await em.find(Location, where)
        : await em.find(Organisation, { ...where, kind: 'health-facility' });
    for (const record of records) {
      found.set(`${kind} ${record.code}`, record);
      for (const key of keys) {
        if (key.toLowerCase() === record.id) {
          found.set(`${kind} ${key}`, record);
        }
      }
    }
  }
  return found;
}

/** A UID or code the request gives to two records. */
function duplicatesWithin(planned: readonly Planned[]): string[] {
  const errors: string[] = [];
  for (const field of ['dhis2Uid', 'dhis2Code'] as const) {
    const holders = new Map<string, Planned>();
    for (const p of planned) {
      const value = p[field];
      if (value === null) {
        continue;
      }
      const other = holders.get(value);
      if (other) {
        errors.push(
          `row ${p.row}: DHIS2 ${field === 'dhis2Uid' ? 'UID' : 'code'} ${value} is also given to row ${other.row}`,
        );
      } else {
        holders.set(value, p);
      }
    }
  }
  return errors;
}

/** A UID or code the request gives that a record left out of it holds (in either table). */
async function heldOutside(em: EntityManager, planned: readonly Planned[]): Promise<string[]> {
  const touched = planned.map((p) => p.record.id);
  const errors: string[] = [];
  for (const field of ['dhis2Uid', 'dhis2Code'] as const) {
    const values = planned.map((p) => p[field]).filter((v): v is string => v !== null);
    if (values.length === 0) {
      continue;
    }
    const where = { [field]: { $in: values }, id: { $nin: touched }, deletedAt: null };
    const holders: { code: string; dhis2Uid?: string | null; dhis2Code?: string | null }[] = [
      ...(await em.find(Location, where, { fields: ['id', 'code', field] })),
      ...(await em.find(Organisation, where, { fields: ['id', 'code', field] })),
    ];
    for (const holder of holders) {
      const p = planned.find((q) => q[field] === holder[field])!;
      errors.push(
        `row ${p.row}: DHIS2 ${field === 'dhis2Uid' ? 'UID' : 'code'} ${holder[field]} is already the org unit of ${holder.code}`,
      );
    }
  }
  return errors;
}

/** Whether a value leaves one record of the request for another (a swap or a move). */
function movesBetween(changes: readonly Planned[]): boolean {
  return (['dhis2Uid', 'dhis2Code'] as const).some((field) => {
    const before = new Set(changes.map((p) => p.record[field] ?? null).filter((v) => v !== null));
    return changes.some(
      (p) => p[field] !== null && p[field] !== (p.record[field] ?? null) && before.has(p[field]),
    );
  });
}
