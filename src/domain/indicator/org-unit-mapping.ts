import type { EntityManager } from '@mikro-orm/core';
import { Location } from '../location/location.entity.ts';
import { Organisation } from '../organisation/organisation.entity.ts';
import { KingaError } from '../shared/errors.ts';

/** DHIS2's UID rule (CodeGenerator.isValidUid): a letter, then 10 letters or digits. */
const DHIS2_UID = /^[A-Za-z][A-Za-z0-9]{10}$/;
/** DHIS2 codes are at most 50 characters (IdentifiableObject.code). */
const DHIS2_CODE_MAX = 50;

export function isDhis2Uid(value: string): boolean {
  return DHIS2_UID.test(value);
}

/**
 * What a caller says about a record's DHIS2 org unit: undefined keeps what is stored, null clears
 * it (a FHIR update that leaves the identifiers out keeps the mapping an administrator set).
 */
export interface Dhis2Mapping {
  dhis2Uid?: string | null;
  dhis2Code?: string | null;
}

/** A location or a health facility: the records that are DHIS2 org units. */
export type MappedRecord = Location | Organisation;

/** The UID and code checked and trimmed; an empty text clears. */
export function checkedDhis2Mapping(mapping: Dhis2Mapping): Dhis2Mapping {
  const result: Dhis2Mapping = {};
  if (mapping.dhis2Uid !== undefined) {
    const uid = mapping.dhis2Uid?.trim() || null;
    if (uid !== null && !isDhis2Uid(uid)) {
      throw new KingaError('dhis2.uid-invalid', { uid }, { field: 'dhis2Uid' });
    }
    result.dhis2Uid = uid;
  }
  if (mapping.dhis2Code !== undefined) {
    const code = mapping.dhis2Code?.trim() || null;
    if (code !== null && code.length > DHIS2_CODE_MAX) {
      throw new KingaError('dhis2.code-invalid', { code }, { field: 'dhis2Code' });
    }
    result.dhis2Code = code;
  }
  return result;
}

/**
 * Sets a location's or facility's DHIS2 UID and code. A DHIS2 org unit is one record: a UID or code
 * already held by another live location or facility is refused. Each table's unique index is the
 * guarantee within it; across the two tables this check is (a concurrent write may still race).
 */
export async function mapToDhis2(
  em: EntityManager,
  record: MappedRecord,
  mapping: Dhis2Mapping,
): Promise<void> {
  const checked = checkedDhis2Mapping(mapping);
  if (checked.dhis2Uid !== undefined && checked.dhis2Uid !== record.dhis2Uid) {
    if (checked.dhis2Uid !== null && (await heldElsewhere(em, record, { dhis2Uid: checked.dhis2Uid }))) {
      throw new KingaError('dhis2.org-unit-uid-duplicate', { uid: checked.dhis2Uid }, { field: 'dhis2Uid' });
    }
    record.dhis2Uid = checked.dhis2Uid;
  }
  if (checked.dhis2Code !== undefined && checked.dhis2Code !== record.dhis2Code) {
    if (checked.dhis2Code !== null && (await heldElsewhere(em, record, { dhis2Code: checked.dhis2Code }))) {
      throw new KingaError(
        'dhis2.org-unit-code-duplicate',
        { code: checked.dhis2Code },
        { field: 'dhis2Code' },
      );
    }
    record.dhis2Code = checked.dhis2Code;
  }
}

/** Whether another live location or organisation holds the UID or code. */
async function heldElsewhere(
  em: EntityManager,
  record: MappedRecord,
  key: { dhis2Uid: string } | { dhis2Code: string },
): Promise<boolean> {
  const locations = await em.find(Location, { ...key, deletedAt: null }, { fields: ['id'] });
  const organisations = await em.find(Organisation, { ...key, deletedAt: null }, { fields: ['id'] });
  return [...locations, ...organisations].some((other) => other.id !== record.id);
}
