import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import { joinSql, raw, sql, type Sql } from '../../platform/database/sql.ts';
import { parseDateRange, splitPrefix } from './date-range.ts';
import { escapeLike } from './fold.ts';
import type { SearchFilter } from './parse-search.ts';
import type { SearchParamDefinition, TokenTarget } from './search-param.ts';

/** The SQL predicate (on alias `t`) for one search filter; its values are alternatives. */
export function predicateFor(filter: SearchFilter, baseUrl: string): Sql {
  const { param, modifier } = filter;
  if (modifier === 'missing') {
    return missing(param, filter.values[0] === 'true');
  }
  let alternatives: Sql[];
  switch (param.type) {
    case 'string':
      alternatives = filter.values.map((v) => stringPredicate(param, v, modifier));
      break;
    case 'token':
      alternatives = filter.values.map((v) => tokenPredicate(param, v));
      break;
    case 'date':
      alternatives = filter.values.map((v) => datePredicate(param, v));
      break;
    case 'reference':
      return referencePredicate(param, filter.values, modifier, baseUrl);
    case 'number':
    case 'uri':
      throw new KingaError('fhir.search-param-invalid', { name: param.code, detail: 'type not searchable' });
  }
  const any = sql`(${joinSql(alternatives, ' or ')})`;
  return modifier === 'not' ? sql`not coalesce(${any}, false)` : any;
}

function columnsOf(param: SearchParamDefinition): string[] {
  if (param.columns) {
    return param.columns;
  }
  if (param.token) {
    return param.token.map((t) => t.column);
  }
  return [];
}

function missing(param: SearchParamDefinition, isMissing: boolean): Sql {
  if (param.type === 'reference' && param.referencePredicate && !param.columns) {
    throw new KingaError('fhir.search-param-invalid', {
      name: param.code,
      detail: ':missing is not supported',
    });
  }
  const checks = columnsOf(param).map((c) => raw(`${c} is ${isMissing ? '' : 'not '}null`));
  return sql`(${joinSql(checks, isMissing ? ' and ' : ' or ')})`;
}

function stringPredicate(param: SearchParamDefinition, value: string, modifier?: string): Sql {
  const columns = param.columns ?? [];
  const parts = columns.map((column) => {
    const col = raw(column);
    if (modifier === 'exact') {
      return sql`${col} = ${value}`;
    }
    const pattern = escapeLike(value);
    if (modifier === 'contains') {
      return sql`kinga_fold(${col}) like '%' || kinga_fold(${pattern}) || '%'`;
    }
    return sql`kinga_fold(${col}) like kinga_fold(${pattern}) || '%'`;
  });
  return sql`(${joinSql(parts, ' or ')})`;
}

function tokenPredicate(param: SearchParamDefinition, value: string): Sql {
  const bar = value.indexOf('|');
  const system = bar < 0 ? undefined : value.slice(0, bar);
  const code = bar < 0 ? value : value.slice(bar + 1);
  const targets = (param.token ?? []).filter((t) => {
    if (system === undefined) {
      return true;
    } // no system given: any system matches
    if (system === '') {
      return t.matchesSystemless === true && t.system === undefined;
    }
    return t.system === system;
  });
  const parts: Sql[] = [];
  for (const target of targets) {
    if (code === '') {
      parts.push(raw(`${target.column} is not null`));
      continue;
    }
    const stored = storedValue(target, code);
    if (stored !== undefined) {
      parts.push(sql`${raw(target.column)} = ${stored}${raw(target.columnType === 'uuid' ? '::uuid' : '')}`);
    }
  }
  return parts.length === 0 ? raw('false') : sql`(${joinSql(parts, ' or ')})`;
}

function storedValue(target: TokenTarget, code: string): string | undefined {
  let value: string | undefined = code;
  if (target.transform) {
    value = target.transform(code);
  }
  if (value !== undefined && target.codes) {
    value = target.codes[value];
  }
  if (value !== undefined && target.columnType === 'uuid' && !isUuid(value)) {
    return undefined;
  }
  return value;
}

function datePredicate(param: SearchParamDefinition, value: string): Sql {
  const { prefix, rest } = splitPrefix(value);
  const range = parseDateRange(rest);
  if (!range) {
    throw new KingaError('fhir.search-param-invalid', {
      name: param.code,
      detail: `${value} is not a valid date`,
    });
  }
  const column = raw((param.columns ?? [])[0] ?? 'null');
  const asDate = param.dateKind === 'date';
  // A calendar-date column is compared with the day bounds; an instant with the exact instants.
  const low = asDate ? isoDay(range.low, false) : range.low.toISOString();
  const high = asDate ? isoDay(range.high, true) : range.high.toISOString();
  const cast = raw(asDate ? '::date' : '::timestamptz');
  const lo = sql`${low}${cast}`;
  const hi = sql`${high}${cast}`;
  switch (prefix) {
    case 'eq':
      return sql`(${column} >= ${lo} and ${column} < ${hi})`;
    case 'ne':
      return sql`(${column} < ${lo} or ${column} >= ${hi})`;
    case 'gt':
    case 'sa':
      return sql`${column} >= ${hi}`;
    case 'lt':
    case 'eb':
      return sql`${column} < ${lo}`;
    case 'ge':
      return sql`${column} >= ${lo}`;
    case 'le':
      return sql`${column} < ${hi}`;
    case 'ap': {
      // Approximately: within a tenth of the distance to now, at least the value's own range.
      const now = Date.now();
      const slack = Math.abs(now - range.low.getTime()) / 10;
      const aLow = new Date(range.low.getTime() - slack);
      const aHigh = new Date(range.high.getTime() + slack);
      const l = sql`${asDate ? isoDay(aLow, false) : aLow.toISOString()}${cast}`;
      const h = sql`${asDate ? isoDay(aHigh, true) : aHigh.toISOString()}${cast}`;
      return sql`(${column} >= ${l} and ${column} < ${h})`;
    }
  }
}

/** The calendar day of an instant: the low bound rounds down, the high (exclusive) bound up. */
function isoDay(instant: Date, roundUp: boolean): string {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  if (roundUp && day.getTime() < instant.getTime()) {
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return day.toISOString().slice(0, 10);
}

/** Accepts `Type/id`, `id` (single-target parameters or a :Type modifier) and absolute URLs on this server. */
export function referencedIds(
  param: SearchParamDefinition,
  values: string[],
  modifier: string | undefined,
  baseUrl: string,
): string[] {
  const targets = modifier ? [modifier] : (param.targets ?? []);
  const ids: string[] = [];
  for (let value of values) {
    if (value.startsWith(`${baseUrl}/`)) {
      value = value.slice(baseUrl.length + 1);
    }
    value = value.replace(/\/_history\/[^/]+$/, '');
    const slash = value.indexOf('/');
    let type: string | undefined;
    let id = value;
    if (slash >= 0) {
      type = value.slice(0, slash);
      id = value.slice(slash + 1);
    } else if (targets.length === 1) {
      type = targets[0];
    }
    if (type !== undefined && !targets.includes(type)) {
      continue;
    }
    if (isUuid(id)) {
      ids.push(id.toLowerCase());
    }
  }
  return ids;
}

function referencePredicate(
  param: SearchParamDefinition,
  values: string[],
  modifier: string | undefined,
  baseUrl: string,
): Sql {
  const ids = referencedIds(param, values, modifier, baseUrl);
  if (ids.length === 0) {
    return raw('false');
  }
  if (param.referencePredicate) {
    return param.referencePredicate(ids);
  }
  const column = raw((param.columns ?? [])[0] ?? 'null');
  return sql`${column} = any(${ids}::uuid[])`;
}
