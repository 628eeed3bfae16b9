/**
 * Readers of the three export forms, each to the same map (data element | org unit | period |
 * category option combo code → value), so tests can check they carry the same numbers. ADX is
 * read with a real XML parser (fast-xml-parser), never with regular expressions.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { indicatorNamed } from '../../src/domain/indicator/catalogue.ts';
import { parsePeriod } from '../../src/domain/indicator/periods.ts';
import { categoryCode, cleanCode } from '../../src/integrations/dhis2/codes.ts';

export type ValueMap = Map<string, string>;

const key = (dataElement: string, orgUnit: string, period: string, combo: string) =>
  [dataElement, orgUnit, period, combo].join('|');

/** DHIS2 JSON: the COC code as sent ('' for the default combo). */
export function jsonValues(body: { dataValues: Record<string, string>[] }): ValueMap {
  const values: ValueMap = new Map();
  for (const v of body.dataValues) {
    values.set(
      key(v['dataElement']!, v['orgUnit']!, v['period']!, v['categoryOptionCombo'] ?? ''),
      v['value']!,
    );
  }
  return values;
}

export const adxParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  // Numeric character references (&#10;) are XML; the parser decodes them only with this on.
  htmlEntities: true,
  isArray: (name) => name === 'group' || name === 'dataValue',
});

/** The parsed ADX document (throws unless it is well-formed XML). */
export function parseAdx(xml: string): any {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new Error(`not well-formed XML: ${JSON.stringify(valid)}`);
  }
  return adxParser.parse(xml);
}

/** ADX by exploded categories: the COC code is rebuilt from the attribute values in category order. */
export function adxValues(xml: string): ValueMap {
  const values: ValueMap = new Map();
  for (const group of parseAdx(xml).adx.group ?? []) {
    const [start, duration] = String(group.period).split('/');
    const months = { P1M: 'monthly', P3M: 'quarterly', P1Y: 'yearly', P7D: 'weekly', P1D: 'daily' } as const;
    const period = periodCodeOf(start!, months[duration as keyof typeof months]);
    for (const dataValue of group.dataValue) {
      const indicator = indicatorNamed(dataValue.dataElement)!;
      const options = indicator.categories.map((c) => dataValue[categoryCode(c)] as string);
      const combo = options.length === 0 ? '' : cleanCode(options.join('_'));
      values.set(key(dataValue.dataElement, group.orgUnit, period, combo), dataValue.value);
    }
  }
  return values;
}

function periodCodeOf(start: string, type: 'monthly' | 'quarterly' | 'yearly' | 'weekly' | 'daily'): string {
  const [y, m] = [start.slice(0, 4), start.slice(5, 7)];
  switch (type) {
    case 'monthly':
      return `${y}${m}`;
    case 'quarterly':
      return `${y}Q${(Number(m) + 2) / 3}`;
    case 'yearly':
      return y;
    case 'daily':
      return start.replaceAll('-', '');
    case 'weekly':
      throw new Error('weeks are not read back here');
  }
}

/**
 * FHIR MeasureReports in DHIS2's terms: a disaggregated indicator's strata (not its total), an
 * indicator without disaggregation by its total. `orgUnitOf` names the subject as the JSON does.
 */
export function fhirValues(bundle: any, orgUnitOf: (reference: string) => string): ValueMap {
  const values: ValueMap = new Map();
  for (const { resource: report } of bundle.entry) {
    const orgUnit = orgUnitOf(report.subject.reference);
    const month = report.period.start.slice(0, 7);
    const period =
      parsePeriod(month.replace('-', '')).end === report.period.end
        ? month.replace('-', '')
        : report.period.start.slice(0, 4);
    for (const group of report.group ?? []) {
      const code = group.code.coding[0].code;
      const indicator = indicatorNamed(code)!;
      if (indicator.categories.length === 0) {
        const total = group.population?.[0]?.count ?? group.measureScore?.value;
        values.set(key(code, orgUnit, period, ''), String(total));
        continue;
      }
      for (const stratum of group.stratifier?.[0]?.stratum ?? []) {
        const combo = cleanCode(stratum.component.map((c: any) => c.value.coding[0].code).join('_'));
        values.set(key(code, orgUnit, period, combo), String(stratum.measureScore.value));
      }
    }
  }
  return values;
}

/** Values compared as numbers (FHIR decimals lose trailing zeros: 1200.50 is 1200.5). */
export function numeric(values: ValueMap): Map<string, number> {
  return new Map([...values].map(([k, v]) => [k, Number(v)]));
}
