import { createHash } from 'node:crypto';

/** DHIS2 codes are at most 50 characters (IdentifiableObject.code). */
const MAX_CODE = 50;

/**
 * A code as DHIS2 and ADX take it, as openIMIS's clean_code writes it: uppercase, every character
 * other than A–Z and 0–9 becomes `_`. ADX writes a category code as an XML attribute name
 * (integrations.md §1.4), so a code that would begin with a digit begins with `_`. A code longer
 * than DHIS2's 50 characters keeps its first 41 and ends with `_` and 8 hex digits of its hash, so
 * two long codes stay apart and the same code always shortens the same way.
 */
export function cleanCode(raw: string): string {
  let code = raw.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  if (code === '' || /^[0-9]/.test(code)) {
    code = `_${code}`;
  }
  if (code.length > MAX_CODE) {
    code = `${code.slice(0, MAX_CODE - 9)}_${createHash('md5').update(code).digest('hex').slice(0, 8).toUpperCase()}`;
  }
  return code;
}

/** The code of a disaggregation (DHIS2 category; the ADX attribute name). */
export function categoryCode(category: string): string {
  return cleanCode(category);
}

/**
 * The code of an option of a category (DHIS2 category option; the ADX attribute value):
 * `<CATEGORY>_<OPTION>` (SEX_F, CLAIM_STATUS_APPROVED, AGE_GROUP_P0Y_P5Y). DHIS2 keeps one
 * category option per code, so APPROVED as a claim status and as a line status would otherwise be
 * one option shared by two categories of one combo, and DHIS2 could not tell (APPROVED, REJECTED)
 * from (REJECTED, APPROVED); register codes (products, services, diagnoses) could collide too.
 * Every serialiser writes options with this function, so metadata and data agree.
 */
export function optionCode(category: string, option: string): string {
  return cleanCode(`${category}_${option}`);
}

/** The code of the category combo of an indicator's disaggregations, in the catalogue's order. */
export function comboCode(categories: readonly string[]): string {
  return cleanCode(categories.join('_'));
}
