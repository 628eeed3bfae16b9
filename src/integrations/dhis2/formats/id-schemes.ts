import {
  DataSets,
  indicatorNamed,
  type CategoryCode,
  type DataSetCode,
} from '../../../domain/indicator/catalogue.ts';
import type { OrgUnit } from '../../../domain/indicator/cube.ts';
import { KingaError } from '../../../domain/shared/errors.ts';
import { categoryCode, cleanCode, optionCode } from '../codes.ts';
import { IdSchemes, type IdScheme } from '../data-value-set.ts';
import { dhis2Uid, metadataUid, orgUnitUid } from '../uids.ts';

/*
 * How an export names DHIS2 objects (integrations.md §1.2): by code or by UID, per kind of object.
 * Kinga's default is CODE for every format: ADX and openIMIS use codes, codes are stable across
 * DHIS2 servers, and the metadata package gives every object a code. (DHIS2's own default for JSON
 * is UID; a caller asking for it gets the UIDs the metadata package derives from those codes.)
 */

export interface ExportIdSchemes {
  dataSet: IdScheme;
  dataElement: IdScheme;
  orgUnit: IdScheme;
  /** Category option combos (JSON) and category options (ADX attribute values). */
  categoryOptionCombo: IdScheme;
  categoryOption: IdScheme;
}

export const CODE_SCHEMES: ExportIdSchemes = {
  dataSet: 'CODE',
  dataElement: 'CODE',
  orgUnit: 'CODE',
  categoryOptionCombo: 'CODE',
  categoryOption: 'CODE',
};

function schemeOf(value: string | undefined, name: string): IdScheme | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const upper = value.toUpperCase();
  if (!(IdSchemes as readonly string[]).includes(upper)) {
    throw new KingaError('dhis2.id-scheme-unsupported', { name, scheme: value });
  }
  return upper as IdScheme;
}

/**
 * The schemes a request asks for (query parameters named as DHIS2 names them): a specific scheme
 * beats idScheme, idScheme beats the default CODE. Only UID and CODE are served (NAME and
 * ATTRIBUTE:… are 400).
 */
export function exportIdSchemes(query: Readonly<Record<string, string | undefined>>): ExportIdSchemes {
  const fallback = schemeOf(query['idScheme'], 'idScheme') ?? 'CODE';
  const specific = (name: string) => schemeOf(query[name], name) ?? fallback;
  return {
    dataSet: specific('dataSetIdScheme'),
    dataElement: specific('dataElementIdScheme'),
    orgUnit: specific('orgUnitIdScheme'),
    categoryOptionCombo: specific('categoryOptionComboIdScheme'),
    categoryOption: specific('categoryOptionIdScheme'),
  };
}

export function dataSetId(dataSet: DataSetCode, scheme: IdScheme): string {
  const code = cleanCode(DataSets[dataSet].code);
  return scheme === 'CODE' ? code : metadataUid('DataSet', code);
}

export function dataElementId(indicator: string, scheme: IdScheme): string {
  const code = cleanCode(indicator);
  return scheme === 'CODE' ? code : metadataUid('DataElement', code);
}

/**
 * An org unit by CODE is its mapped DHIS2 code, else its Kinga code; by UID its mapped UID, else
 * the one derived from its id: as org-unit-directory.ts finds them when DHIS2 sends them back.
 */
export function orgUnitId(orgUnit: OrgUnit, scheme: IdScheme): string {
  return scheme === 'CODE' ? (orgUnit.dhis2Code ?? orgUnit.code) : orgUnitUid(orgUnit);
}

/** A category option (ADX attribute value): SEX_F, or the UID the metadata package gives it. */
export function categoryOptionId(category: CategoryCode, option: string, scheme: IdScheme): string {
  const code = optionCode(categoryCode(category), option);
  return scheme === 'CODE' ? code : metadataUid('CategoryOption', code);
}

/**
 * The code of the category option combo of a stratum: its category option codes (SEX_F,
 * AGE_GROUP_P0Y_P5Y) joined by `_` in the combo's category order, cleaned (longer than 50
 * characters it is shortened with a hash, as cleanCode does): NB_INSUREES's (P0Y-P5Y, F) is
 * AGE_GROUP_P0Y_P5Y_SEX_F. DHIS2 generates COCs without codes and with random UIDs, so JSON by
 * CODE (or by UID) needs the metadata package to declare the COCs itself: one per cell of each
 * category combo, `{ id: optionComboUid(code), code, categoryCombo, categoryOptions }` with this
 * code. ADX needs none of it (categories are exploded).
 */
export function optionComboCode(
  categories: readonly CategoryCode[],
  strata: Partial<Record<CategoryCode, string>>,
): string {
  return cleanCode(
    categories.map((category) => optionCode(categoryCode(category), strata[category]!)).join('_'),
  );
}

/** The UID of a category option combo, from its code (salted like the metadata package's UIDs). */
export function optionComboUid(code: string): string {
  return dhis2Uid('CategoryOptionCombo', code);
}

/**
 * The COC of an observation, or undefined for an indicator without disaggregation (DHIS2's
 * default combo: a data value without categoryOptionCombo is in it).
 */
export function optionComboId(
  indicator: string,
  strata: Partial<Record<CategoryCode, string>>,
  scheme: IdScheme,
): string | undefined {
  const categories = indicatorNamed(indicator)?.categories ?? [];
  if (categories.length === 0) {
    return undefined;
  }
  const code = optionComboCode(categories, strata);
  return scheme === 'CODE' ? code : optionComboUid(code);
}
