import { KingaError } from '../../domain/shared/errors.ts';

/*
 * A DHIS2 JSON data value set as DHIS2 posts it (integrations.md §1.1–1.2): the header form
 * (dataSet, period, orgUnit, attributeOptionCombo on the root, for every value that does not say
 * its own) or the bulk form (each value with its period and orgUnit). Import parameters come as
 * query parameters or root attributes; the payload's win, and a specific id scheme beats idScheme.
 */

export const IdSchemes = ['UID', 'CODE'] as const;
export type IdScheme = (typeof IdSchemes)[number];
export const ImportStrategies = ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'] as const;
export type ImportStrategy = (typeof ImportStrategies)[number];

/** One data value as sent, with its position in dataValues (what conflicts point back to). */
export interface IncomingValue {
  index: number;
  dataElement?: string;
  period?: string;
  orgUnit?: string;
  categoryOptionCombo?: string;
  attributeOptionCombo?: string;
  value?: string;
}

export interface DataValueSetImport {
  values: IncomingValue[];
  orgUnitIdScheme: IdScheme;
  dataElementIdScheme: IdScheme;
  importStrategy: ImportStrategy;
  dryRun: boolean;
}

const invalid = (detail: string) => new KingaError('dhis2.data-value-set-invalid', { detail });

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

function scheme(value: string | undefined, name: string): IdScheme | undefined {
  if (value === undefined) {
    return undefined;
  }
  const upper = value.toUpperCase();
  if (!(IdSchemes as readonly string[]).includes(upper)) {
    throw new KingaError('dhis2.id-scheme-unsupported', { name, scheme: value });
  }
  return upper as IdScheme;
}

/** The body and query of a POST /api/dataValueSets, checked for shape (values are judged later). */
export function readDataValueSet(
  body: unknown,
  query: Record<string, string | undefined>,
): DataValueSetImport {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('send a JSON object with dataValues');
  }
  const root = body as Record<string, unknown>;
  if (!Array.isArray(root['dataValues'])) {
    throw invalid('dataValues is missing or not an array');
  }
  const parameter = (name: string) => text(root[name]) ?? query[name];
  const fallback = scheme(parameter('idScheme'), 'idScheme') ?? 'UID';
  const strategy = (parameter('importStrategy') ?? 'CREATE_AND_UPDATE').toUpperCase();
  if (!(ImportStrategies as readonly string[]).includes(strategy)) {
    throw invalid(`importStrategy ${strategy} is not one of ${ImportStrategies.join(', ')}`);
  }
  const header = {
    period: text(root['period']),
    orgUnit: text(root['orgUnit']),
    attributeOptionCombo: text(root['attributeOptionCombo']),
  };
  const values = (root['dataValues'] as unknown[]).map((entry, index): IncomingValue => {
    const value = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    return {
      index,
      dataElement: text(value['dataElement']),
      period: text(value['period']) ?? header.period,
      orgUnit: text(value['orgUnit']) ?? header.orgUnit,
      categoryOptionCombo: text(value['categoryOptionCombo']),
      attributeOptionCombo: text(value['attributeOptionCombo']) ?? header.attributeOptionCombo,
      value: text(value['value']),
    };
  });
  return {
    values,
    orgUnitIdScheme: scheme(parameter('orgUnitIdScheme'), 'orgUnitIdScheme') ?? fallback,
    dataElementIdScheme: scheme(parameter('dataElementIdScheme'), 'dataElementIdScheme') ?? fallback,
    importStrategy: strategy as ImportStrategy,
    dryRun:
      (
        text(root['dryRun']) ??
        (root['dryRun'] === true ? 'true' : query['dryRun']) ??
        'false'
      ).toLowerCase() === 'true',
  };
}
