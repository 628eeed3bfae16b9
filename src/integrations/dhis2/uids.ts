import { createHash } from 'node:crypto';

export { isDhis2Uid } from '../../domain/indicator/org-unit-mapping.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALPHANUMERICS = `0123456789${LETTERS}`;

/**
 * A deterministic DHIS2 UID (a letter, then 10 letters or digits): the MD5 of `salt + value`
 * written in that alphabet, as openIMIS's build_dhis2_id does for metadata (dhis2_etl/utils.py).
 * The same input gives the same UID on every run and every server, so DHIS2 re-imports update
 * instead of duplicating. The salt keeps objects of different types apart (DHIS2 refuses one UID
 * for two objects, whatever their types).
 *
 * openIMIS maps each hex pair of a UUID to one character (keeping its top 6 bits). Kinga's UUIDv7
 * ids begin with a millisecond timestamp, so records written in one flush would differ only in the
 * bits that mapping drops: every value is hashed first, and all 128 bits feed the 11 characters.
 */
export function dhis2Uid(salt: string, value: string): string {
  let n = BigInt(
    `0x${createHash('md5')
      .update(salt + value)
      .digest('hex')}`,
  );
  let uid = LETTERS[Number(n % 52n)]!;
  n /= 52n;
  for (let i = 0; i < 10; i += 1) {
    uid += ALPHANUMERICS[Number(n % 62n)]!;
    n /= 62n;
  }
  return uid;
}

/** The DHIS2 metadata types the package declares (each its own UID salt). */
export type MetadataType = 'CategoryOption' | 'Category' | 'CategoryCombo' | 'DataElement' | 'DataSet';

/** The UID of a metadata object of the catalogue, from its (clean) code. */
export function metadataUid(type: MetadataType, code: string): string {
  return dhis2Uid(type, code);
}

/** The UID an unmapped location or facility is exported under: derived from its record id. */
export function derivedOrgUnitUid(id: string): string {
  return dhis2Uid('OrganisationUnit', id.toLowerCase());
}

/**
 * The DHIS2 UID of an org unit: the one the scheme mapped (PUT /dhis2/orgUnits, or the FHIR
 * identifier), else the one derived from its id, so exports work before anything is mapped.
 */
export function orgUnitUid(record: { id: string; dhis2Uid: string | null }): string {
  return record.dhis2Uid ?? derivedOrgUnitUid(record.id);
}

/** DHIS2's built-in "default" category combo and category option combo (the same on every server). */
export const DEFAULT_CATEGORY_COMBO_UID = 'bjDvmb4bfuf';
export const DEFAULT_CATEGORY_OPTION_COMBO_UID = 'HllvX50cXC0';
