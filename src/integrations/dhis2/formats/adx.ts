import type { CategoryCode } from '../../../domain/indicator/catalogue.ts';
import { categoryCode } from '../codes.ts';
import { categoryOptionId, dataElementId, dataSetId, orgUnitId, type ExportIdSchemes } from './id-schemes.ts';
import { indicatorOf, isDhis2Value, lookups, type IndicatorData } from './indicator-data.ts';

export const ADX_MEDIA_TYPE = 'application/adx+xml';
export const ADX_NAMESPACE = 'urn:ihe:qrph:adx:2015';

/**
 * XML 1.0 attribute text: markup characters as entities, and tab, newline and carriage return as
 * character references (an attribute value's whitespace is otherwise normalised to spaces).
 * Characters XML 1.0 cannot carry at all (other C0 controls, lone surrogates, U+FFFE/FFFF) become
 * U+FFFD.
 */
export function xmlAttribute(text: string): string {
  return Array.from(text, (char) => (carriable(char.codePointAt(0)!) ? char : '\uFFFD'))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** XML 1.0 Char: tab, newline, carriage return, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and above. */
function carriable(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  );
}

function attributes(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([name, value]) => ` ${name}="${xmlAttribute(value)}"`).join('');
}

/**
 * The ADX message of `data` (IHE QRPH ADX, integrations.md §1.4): one `<group>` per data set, org
 * unit and period (the period in ADX form, 2026-11-01/P1M), each value a `<dataValue>` whose
 * disaggregations are exploded as attributes named by the category code (AGE_GROUP, SEX) with
 * the option's code (AGE_GROUP_P0Y_P5Y, SEX_F), so DHIS2 needs no category option combo ids.
 * Category codes are cleaned to XML names (codes.ts). Groups without a value are left out (ADX
 * wants at least one dataValue per group); withheld values and totals of disaggregated elements
 * are not sent (isDhis2Value). `exported` is when the message was made.
 */
export function adxMessage(data: IndicatorData, schemes: ExportIdSchemes, exported: Date): string {
  const { orgUnit, period } = lookups(data);
  const groups = new Map<string, { head: string; values: string[] }>();
  for (const observation of data.observations.filter(isDhis2Value)) {
    const indicator = indicatorOf(observation);
    const key = [indicator.dataSet, observation.orgUnit, observation.period].join(' ');
    let group = groups.get(key);
    if (!group) {
      const head = attributes([
        ['dataSet', dataSetId(indicator.dataSet, schemes.dataSet)],
        ['orgUnit', orgUnitId(orgUnit(observation.orgUnit), schemes.orgUnit)],
        ['period', period(observation.period).adx],
      ]);
      group = { head, values: [] };
      groups.set(key, group);
    }
    const exploded = indicator.categories.map(
      (category: CategoryCode) =>
        [
          categoryCode(category),
          categoryOptionId(category, observation.strata[category]!, schemes.categoryOption),
        ] as const,
    );
    group.values.push(
      `    <dataValue${attributes([
        ['dataElement', dataElementId(indicator.code, schemes.dataElement)],
        ...exploded,
        ['value', observation.value],
      ])}/>`,
    );
  }
  const body = [...groups.values()]
    .map((g) => `  <group${g.head}>\n${g.values.join('\n')}\n  </group>\n`)
    .join('');
  const root = `<adx xmlns="${ADX_NAMESPACE}" exported="${exported.toISOString().replace(/\.\d{3}Z$/, 'Z')}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body === '' ? `${root}/>` : `${root}>\n${body}</adx>`}\n`;
}
