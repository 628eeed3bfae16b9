import { KingaError } from '../../domain/shared/errors.ts';
import type { SearchParamDefinition } from './search-param.ts';
import { decodeCursor, type Cursor } from './keyset.ts';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 500;

export interface SearchFilter {
  param: SearchParamDefinition;
  modifier?: string;
  /** Alternatives (comma-separated in the query): any may match. */
  values: string[];
}

export interface SortKey {
  param: SearchParamDefinition;
  descending: boolean;
}

export interface IncludeSpec {
  sourceType: string;
  paramCode: string;
  targetType?: string;
  text: string;
}

export interface ParsedSearch {
  filters: SearchFilter[];
  count: number;
  sort: SortKey[];
  include: IncludeSpec[];
  revinclude: IncludeSpec[];
  summaryCount: boolean;
  total?: 'none' | 'estimate' | 'accurate';
  cursor?: Cursor;
  /** Parameters dropped under Prefer: handling=lenient. */
  ignored: string[];
  /** The query that defines the result set, for self/next links (without _cursor). */
  canonicalQuery: URLSearchParams;
}

const MODIFIERS: Record<string, string[]> = {
  string: ['exact', 'contains', 'missing'],
  token: ['not', 'missing'],
  date: ['missing'],
  reference: ['missing'],
  number: ['missing'],
  uri: ['missing'],
};

const CONTROL = new Set([
  '_count',
  '_sort',
  '_include',
  '_revinclude',
  '_summary',
  '_total',
  '_cursor',
  '_format',
]);

/**
 * Reads a FHIR search query against the declared parameters. An unknown parameter or modifier is a
 * 400 (search.html#errors) unless the client asked for lenient handling, when it is ignored and
 * reported.
 */
export function parseSearch(
  resourceType: string,
  params: readonly SearchParamDefinition[],
  query: URLSearchParams,
  lenient: boolean,
): ParsedSearch {
  const byCode = new Map(params.map((p) => [p.code, p]));
  const parsed: ParsedSearch = {
    filters: [],
    count: DEFAULT_COUNT,
    sort: [],
    include: [],
    revinclude: [],
    summaryCount: false,
    ignored: [],
    canonicalQuery: new URLSearchParams(),
  };
  const reject = (name: string, detail: string): void => {
    if (lenient) {
      parsed.ignored.push(name);
      return;
    }
    throw new KingaError('fhir.search-param-invalid', { name, detail });
  };

  for (const [rawName, value] of query) {
    if (CONTROL.has(rawName)) {
      if (
        applyControl(parsed, rawName, value, byCode, resourceType, reject) !== false &&
        rawName !== '_cursor'
      ) {
        parsed.canonicalQuery.append(rawName, value);
      }
      continue;
    }
    const [code = '', modifier] = rawName.split(':', 2);
    const param = byCode.get(code);
    if (!param) {
      if (lenient) {
        parsed.ignored.push(rawName);
        continue;
      }
      throw new KingaError('fhir.search-param-unknown', { name: rawName, type: resourceType });
    }
    if (modifier !== undefined && !isAllowedModifier(param, modifier)) {
      reject(rawName, `modifier :${modifier} is not supported`);
      continue;
    }
    if (value === '') {
      reject(rawName, 'a value is required');
      continue;
    }
    const values = modifier === 'missing' ? [value] : splitValues(value);
    if (modifier === 'missing' && value !== 'true' && value !== 'false') {
      reject(rawName, ':missing takes true or false');
      continue;
    }
    parsed.filters.push({ param, ...(modifier === undefined ? {} : { modifier }), values });
    parsed.canonicalQuery.append(rawName, value);
  }
  return parsed;
}

function isAllowedModifier(param: SearchParamDefinition, modifier: string): boolean {
  if (param.type === 'reference' && param.targets?.includes(modifier)) {
    return true;
  }
  return (MODIFIERS[param.type] ?? []).includes(modifier);
}

/** Splits on commas not escaped with a backslash (search.html#escaping), then unescapes. */
function splitValues(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      current += value[++i];
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts.filter((p) => p !== '');
}

function applyControl(
  parsed: ParsedSearch,
  name: string,
  value: string,
  byCode: Map<string, SearchParamDefinition>,
  resourceType: string,
  reject: (name: string, detail: string) => void,
): boolean | void {
  switch (name) {
    case '_count': {
      const count = Number(value);
      if (!Number.isInteger(count) || count < 0) {
        return reject(name, 'must be a whole number');
      }
      parsed.count = Math.min(count, MAX_COUNT);
      return;
    }
    case '_sort': {
      for (const item of value.split(',').filter(Boolean)) {
        const descending = item.startsWith('-');
        const code = descending ? item.slice(1) : item;
        const param = byCode.get(code);
        if (!param?.sortColumn) {
          reject(name, `cannot sort by ${code}`);
          continue;
        }
        parsed.sort.push({ param, descending });
      }
      return;
    }
    case '_include':
    case '_revinclude': {
      const spec = parseInclude(value);
      if (!spec) {
        return reject(name, `${value} is not of the form Type:parameter[:target]`);
      }
      if (name === '_include' && spec.sourceType !== resourceType) {
        return reject(name, `${value} must start with ${resourceType}`);
      }
      (name === '_include' ? parsed.include : parsed.revinclude).push(spec);
      return;
    }
    case '_summary':
      if (value === 'count') {
        parsed.summaryCount = true;
      } else if (value !== 'false') {
        return reject(name, 'only count and false are supported');
      }
      return;
    case '_total':
      if (value !== 'none' && value !== 'estimate' && value !== 'accurate') {
        return reject(name, 'must be none, estimate or accurate');
      }
      parsed.total = value;
      return;
    case '_cursor': {
      const cursor = decodeCursor(value);
      if (!cursor) {
        return reject(name, 'is not a cursor this server issued');
      }
      parsed.cursor = cursor;
      return false;
    }
    case '_format':
      if (!/json/.test(value)) {
        return reject(name, 'only JSON is served');
      }
      return;
  }
}

function parseInclude(value: string): IncludeSpec | undefined {
  const parts = value.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !p)) {
    return undefined;
  }
  const [sourceType, paramCode, targetType] = parts as [string, string, string?];
  return { sourceType, paramCode, ...(targetType ? { targetType } : {}), text: value };
}
