import {
  Categories,
  DataSets,
  Indicators,
  type CategoryCode,
  type DataSetCode,
  type IndicatorDefinition,
} from '../../domain/indicator/catalogue.ts';
import type { CategoryOptions } from './category-options.ts';
import { categoryCode, cleanCode, comboCode, optionCode } from './codes.ts';
import { optionComboCode, optionComboUid } from './formats/id-schemes.ts';
import { DEFAULT_CATEGORY_COMBO_UID, metadataUid } from './uids.ts';

/*
 * The DHIS2 metadata package of the catalogue (integrations.md §2.1 "Metadata"), for
 * POST /api/metadata: category options, categories, category combos, data elements and data sets,
 * each with its code and a UID derived from it. A DHIS2 admin imports it once; importing it again
 * updates the same objects. The category option combos are listed too, with the codes and UIDs the
 * JSON export writes (up to MAX_LISTED_OPTION_COMBOS per combo; larger ones travel as ADX). Names end with the code in brackets: DHIS2 requires unique names, and
 * the servers it is imported into have their own "Sex" or "Male".
 */

interface Ref {
  id: string;
}

export interface Dhis2MetadataPackage {
  categoryOptions: { id: string; code: string; name: string; shortName: string; formName: string }[];
  categories: {
    id: string;
    code: string;
    name: string;
    shortName: string;
    dataDimensionType: 'DISAGGREGATION';
    categoryOptions: Ref[];
  }[];
  categoryCombos: {
    id: string;
    code: string;
    name: string;
    dataDimensionType: 'DISAGGREGATION';
    categories: Ref[];
  }[];
  categoryOptionCombos: {
    id: string;
    code: string;
    name: string;
    categoryCombo: Ref;
    categoryOptions: Ref[];
  }[];
  dataElements: {
    id: string;
    code: string;
    name: string;
    shortName: string;
    formName: string;
    description: string;
    domainType: 'AGGREGATE';
    valueType: 'INTEGER' | 'NUMBER';
    aggregationType: 'SUM' | 'AVERAGE';
    zeroIsSignificant: boolean;
    categoryCombo: Ref;
  }[];
  dataSets: {
    id: string;
    code: string;
    name: string;
    shortName: string;
    periodType: 'Monthly';
    categoryCombo: Ref;
    dataSetElements: { dataElement: Ref; dataSet: Ref }[];
  }[];
}

/** DHIS2 names are at most 230 characters; the code at the end keeps them unique. */
function named(name: string, code: string): string {
  const suffix = ` [${code}]`;
  return `${name.slice(0, 230 - suffix.length)}${suffix}`;
}

/** The package for the catalogue, with `options` (read from the registers) for each category. */
export function metadataPackage(options: CategoryOptions): Dhis2MetadataPackage {
  const used = [...new Set(Indicators.flatMap((i) => i.categories))];
  const categoryOptions: Dhis2MetadataPackage['categoryOptions'] = [];
  const categories: Dhis2MetadataPackage['categories'] = used.map((category) => {
    const code = categoryCode(category);
    // DHIS2 refuses a category without options: an empty register (no service yet) gets a stand-in.
    const listed =
      options[category].length > 0 ? options[category] : [{ code: 'NONE', name: 'None registered' }];
    const refs = listed.map((option) => {
      const optionCodeText = optionCode(code, option.code);
      const id = metadataUid('CategoryOption', optionCodeText);
      categoryOptions.push({
        id,
        code: optionCodeText,
        name: named(option.name, optionCodeText),
        shortName: optionCodeText,
        formName: option.name,
      });
      return { id };
    });
    return {
      id: metadataUid('Category', code),
      code,
      name: named(Categories[category].name, code),
      shortName: code,
      dataDimensionType: 'DISAGGREGATION',
      categoryOptions: dedupe(refs),
    };
  });

  const categoryCombos = new Map<string, Dhis2MetadataPackage['categoryCombos'][number]>();
  const optionCombos: Dhis2MetadataPackage['categoryOptionCombos'] = [];
  const optionsOf = (category: CategoryCode) =>
    options[category].length > 0 ? options[category] : [{ code: 'NONE', name: 'None registered' }];
  const comboOf = (indicator: IndicatorDefinition): Ref => {
    if (indicator.categories.length === 0) {
      return { id: DEFAULT_CATEGORY_COMBO_UID };
    }
    const code = comboCode(indicator.categories.map(categoryCode));
    const id = metadataUid('CategoryCombo', code);
    categoryCombos.set(code, {
      id,
      code,
      name: named(indicator.categories.map((c: CategoryCode) => Categories[c].name).join(' × '), code),
      dataDimensionType: 'DISAGGREGATION',
      categories: indicator.categories.map((c) => ({ id: metadataUid('Category', categoryCode(c)) })),
    });
    optionCombos.push(...optionCombosOf(indicator.categories, { id }, optionsOf));
    return { id };
  };

  const dataElements = Indicators.map((indicator) => {
    const code = cleanCode(indicator.code);
    return {
      id: metadataUid('DataElement', code),
      code,
      name: named(indicator.name, code),
      shortName: code,
      formName: indicator.name,
      description: indicator.description,
      domainType: 'AGGREGATE' as const,
      valueType: indicator.unit === 'count' ? ('INTEGER' as const) : ('NUMBER' as const),
      // A rate of two figures does not add up across org units or periods.
      aggregationType: indicator.rate ? ('AVERAGE' as const) : ('SUM' as const),
      zeroIsSignificant: indicator.zeroIsSignificant,
      categoryCombo: comboOf(indicator),
    };
  });

  const dataSets = (Object.keys(DataSets) as DataSetCode[]).map((dataSet) => {
    const code = cleanCode(DataSets[dataSet].code);
    const id = metadataUid('DataSet', code);
    return {
      id,
      code,
      name: named(DataSets[dataSet].name, code),
      shortName: code,
      periodType: 'Monthly' as const,
      categoryCombo: { id: DEFAULT_CATEGORY_COMBO_UID },
      dataSetElements: Indicators.filter((i) => i.dataSet === dataSet).map((i) => ({
        dataElement: { id: metadataUid('DataElement', cleanCode(i.code)) },
        dataSet: { id },
      })),
    };
  });

  return {
    categoryOptions: dedupe(categoryOptions),
    categories,
    categoryCombos: [...categoryCombos.values()],
    categoryOptionCombos: dedupe(optionCombos),
    dataElements,
    dataSets,
  };
}

/**
 * Beyond this many cells a combo's option combos are not listed (a diagnosis list of thousands
 * times the statuses): DHIS2 generates them itself, and such data elements are exchanged as ADX,
 * which names options by code and needs no COC (integrations.md §1.4).
 */
export const MAX_LISTED_OPTION_COMBOS = 5_000;

/**
 * The category option combos of a combo, one per cell, with the codes and UIDs the DHIS2 JSON
 * serialiser writes (formats/id-schemes.ts: option codes joined in category order): DHIS2's own
 * generated COCs have random UIDs and no code, so a JSON push by code or UID needs these.
 */
function optionCombosOf(
  categories: readonly CategoryCode[],
  combo: Ref,
  optionsOf: (category: CategoryCode) => readonly { code: string; name: string }[],
): Dhis2MetadataPackage['categoryOptionCombos'] {
  const size = categories.reduce((n, c) => n * optionsOf(c).length, 1);
  if (size > MAX_LISTED_OPTION_COMBOS) {
    return [];
  }
  let cells: { strata: Partial<Record<CategoryCode, string>>; names: string[] }[] = [
    { strata: {}, names: [] },
  ];
  for (const category of categories) {
    cells = cells.flatMap((cell) =>
      optionsOf(category).map((option) => ({
        strata: { ...cell.strata, [category]: option.code },
        names: [...cell.names, option.name],
      })),
    );
  }
  return cells.map((cell) => {
    const code = optionComboCode(categories, cell.strata);
    return {
      id: optionComboUid(code),
      code,
      name: named(cell.names.join(', '), code),
      categoryCombo: combo,
      categoryOptions: categories.map((c) => ({
        id: metadataUid('CategoryOption', optionCode(categoryCode(c), cell.strata[c]!)),
      })),
    };
  });
}

/** A register may list a code twice once cleaned (a-1 and A_1): DHIS2 takes each object once. */
function dedupe<T extends { id: string }>(objects: T[]): T[] {
  const seen = new Set<string>();
  return objects.filter((o) => !seen.has(o.id) && seen.add(o.id));
}
