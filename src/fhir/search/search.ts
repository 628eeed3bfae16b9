import { allows } from '../../platform/auth/scopes.ts';
import { joinSql, raw, sql, type Sql } from '../../platform/database/sql.ts';
import { bundleJson, type BundleEntryText, type BundleLink } from '../core/bundle-json.ts';
import type { FhirRegistry, ResourceModule } from '../core/resource-module.ts';
import type { FhirContext, FhirResult } from '../core/types.ts';
import { outcomeOf } from '../outcome.ts';
import { readMany } from '../store/resource-store.ts';
import { encodeCursor, orderBy, seekPredicate, type KeyColumn } from './keyset.ts';
import { parseSearch, type IncludeSpec, type ParsedSearch } from './parse-search.ts';
import { predicateFor, referencedIds } from './predicates.ts';
import { commonSearchParams, type SearchParamDefinition } from './search-param.ts';

/** Rows an _include or _revinclude may add to one page. */
const MAX_INCLUDED = 1000;

export function searchParamsOf(module: ResourceModule): SearchParamDefinition[] {
  return [...commonSearchParams(), ...module.searchParams];
}

interface MatchRow {
  id: string;
  content: string;
  [key: `k${number}`]: string | number | Date | null;
}

/** Builds the WHERE clause of a parsed search; shared by searches and conditional operations. */
export function whereClause(
  module: ResourceModule,
  parsed: ParsedSearch,
  baseUrl: string,
  facilityId?: string,
): Sql {
  const conditions: Sql[] = [raw(module.table.live), ...parsed.filters.map((f) => predicateFor(f, baseUrl))];
  const own = facilityPredicate(module, facilityId);
  if (own) {
    conditions.push(own);
  }
  return joinSql(conditions, ' and ');
}

/** A facility-bound client sees only its facility's records of a type that belongs to facilities. */
export function facilityPredicate(module: ResourceModule, facilityId: string | undefined): Sql | undefined {
  return module.facilityColumn && facilityId
    ? sql`${raw(module.facilityColumn)} = ${facilityId}::uuid`
    : undefined;
}

/** Ids of live resources matching a query, at most `limit` (conditional create/update). */
export async function matchingIds(
  context: FhirContext,
  module: ResourceModule,
  query: URLSearchParams,
  limit: number,
): Promise<string[]> {
  const parsed = parseSearch(module.type, searchParamsOf(module), query, false);
  const rows = await context.db.query<{ id: string }>(
    sql`select t.id from ${raw(module.table.table)} t where ${whereClause(module, parsed, context.baseUrl, context.principal.facilityId)} limit ${limit}`,
  );
  return rows.map((r) => r.id);
}

/** FHIR search (search.html) over one type, answered as a searchset Bundle with keyset paging links. */
export async function searchType(
  context: FhirContext,
  registry: FhirRegistry,
  module: ResourceModule,
  query: URLSearchParams,
  lenient: boolean,
): Promise<FhirResult> {
  const parsed = parseSearch(module.type, searchParamsOf(module), query, lenient);
  const where = whereClause(module, parsed, context.baseUrl, context.principal.facilityId);
  const table = raw(module.table.table);
  const typeUrl = `${context.baseUrl}/${module.type}`;

  if (parsed.summaryCount || parsed.count === 0) {
    const total = await count(context, table, where);
    return {
      outcome: 'ok',
      resource: bundleJson({
        type: 'searchset',
        total,
        link: [{ relation: 'self', url: link(typeUrl, parsed.canonicalQuery) }],
        entries: [],
      }),
    };
  }

  const keys: KeyColumn[] = parsed.sort.map((s) => ({
    expression: s.param.sortColumn!,
    descending: s.descending,
  }));
  if (!keys.some((k) => k.expression === 't.id')) {
    keys.push({ expression: 't.id', descending: false });
  }
  const backwards = parsed.cursor?.direction === 'previous';
  const conditions = parsed.cursor
    ? sql`${where} and ${seekPredicate(keys, parsed.cursor.key, backwards)}`
    : where;
  const keySelect = raw(keys.map((k, i) => `${k.expression} as k${i}`).join(', '));
  let rows = await context.db.query<MatchRow>(
    sql`select ${keySelect}, t.id, f.content
        from ${table} t join fhir_resource f on f.resource_type = ${module.type} and f.id = t.id
        where ${conditions}
        order by ${orderBy(keys, backwards)}
        limit ${parsed.count + 1}`,
  );
  const hasMore = rows.length > parsed.count;
  rows = rows.slice(0, parsed.count);
  if (backwards) {
    rows.reverse();
  }

  const links: BundleLink[] = [
    {
      relation: 'self',
      url: link(typeUrl, parsed.canonicalQuery, parsed.cursor ? query.get('_cursor') : null),
    },
  ];
  const first = rows[0];
  const last = rows.at(-1);
  const hasNext = backwards ? true : hasMore;
  const hasPrevious = backwards ? hasMore : parsed.cursor !== undefined;
  if (hasNext && last) {
    links.push({
      relation: 'next',
      url: link(typeUrl, parsed.canonicalQuery, encodeCursor({ direction: 'next', key: keyOf(last, keys) })),
    });
  }
  if (hasPrevious && first) {
    links.push({
      relation: 'previous',
      url: link(
        typeUrl,
        parsed.canonicalQuery,
        encodeCursor({ direction: 'previous', key: keyOf(first, keys) }),
      ),
    });
  }

  let total: number | undefined;
  if (parsed.total === 'accurate' || parsed.total === 'estimate') {
    total = await count(context, table, where);
  } else if (parsed.total === undefined && !parsed.cursor && !hasMore) {
    total = rows.length;
  }

  const entries: BundleEntryText[] = rows.map((row) => ({
    fullUrl: `${typeUrl}/${row.id}`,
    resourceJson: row.content,
    search: { mode: 'match' },
  }));
  const pageIds = rows.map((r) => r.id);
  const warnings = parsed.ignored.map((name) => `Search parameter ${name} was ignored`);
  for (const spec of parsed.include) {
    entries.push(...(await include(context, registry, module, spec, pageIds, warnings)));
  }
  for (const spec of parsed.revinclude) {
    entries.push(...(await revinclude(context, registry, module, spec, pageIds, warnings)));
  }
  if (warnings.length > 0) {
    entries.push({
      resourceJson: JSON.stringify(
        outcomeOf(warnings.map((w) => ({ severity: 'warning', code: 'not-supported', diagnostics: w }))),
      ),
      search: { mode: 'outcome' },
    });
  }
  const bundle = bundleJson({
    type: 'searchset',
    ...(total === undefined ? {} : { total }),
    link: links,
    entries: dedupe(entries),
  });
  return { outcome: 'ok', resource: bundle, warnings };
}

async function count(context: FhirContext, table: Sql, where: Sql): Promise<number> {
  const [row] = await context.db.query<{ n: string }>(
    sql`select count(*) as n from ${table} t where ${where}`,
  );
  return Number(row?.n ?? 0);
}

function keyOf(row: MatchRow, keys: KeyColumn[]): (string | number | null)[] {
  return keys.map((_, i) => {
    const value = row[`k${i}`];
    return value instanceof Date ? value.toISOString() : (value ?? null);
  });
}

function link(typeUrl: string, canonical: URLSearchParams, cursor?: string | null): string {
  const params = new URLSearchParams(canonical);
  if (cursor) {
    params.set('_cursor', cursor);
  }
  const text = params.toString();
  return text ? `${typeUrl}?${text}` : typeUrl;
}

async function include(
  context: FhirContext,
  registry: FhirRegistry,
  module: ResourceModule,
  spec: IncludeSpec,
  pageIds: string[],
  warnings: string[],
): Promise<BundleEntryText[]> {
  const param = module.searchParams.find(
    (p) => p.code === spec.paramCode && p.type === 'reference' && p.includable,
  );
  if (!param) {
    warnings.push(`_include=${spec.text} is not supported`);
    return [];
  }
  const targetType = spec.targetType ?? param.targets?.[0];
  if (!targetType || !param.targets?.includes(targetType) || pageIds.length === 0) {
    return [];
  }
  if (!allows(context.principal.scopes, targetType, 'r')) {
    warnings.push(`_include=${spec.text} was not followed: no read scope for ${targetType}`);
    return [];
  }
  const custom = module.includeQueries?.[param.code];
  const column = param.columns?.[0];
  const statement = custom
    ? custom(pageIds)
    : sql`select distinct ${raw(column ?? 'null')} as id from ${raw(module.table.table)} t
          where t.id = any(${pageIds}::uuid[]) and ${raw(column ?? 'null')} is not null`;
  const ids = (await context.db.query<{ id: string }>(sql`${statement} limit ${MAX_INCLUDED}`)).map(
    (r) => r.id,
  );
  return entriesOf(context, targetType, ids);
}

async function revinclude(
  context: FhirContext,
  registry: FhirRegistry,
  module: ResourceModule,
  spec: IncludeSpec,
  pageIds: string[],
  warnings: string[],
): Promise<BundleEntryText[]> {
  const source = registry.get(spec.sourceType);
  const param = source?.searchParams.find(
    (p) => p.code === spec.paramCode && p.type === 'reference' && p.includable,
  );
  if (!source || !param || !param.targets?.includes(module.type)) {
    warnings.push(`_revinclude=${spec.text} is not supported`);
    return [];
  }
  if (pageIds.length === 0) {
    return [];
  }
  if (!allows(context.principal.scopes, source.type, 's')) {
    warnings.push(`_revinclude=${spec.text} was not followed: no search scope for ${source.type}`);
    return [];
  }
  const ids = referencedIds(
    param,
    pageIds.map((id) => `${module.type}/${id}`),
    undefined,
    context.baseUrl,
  );
  const predicate = param.referencePredicate
    ? param.referencePredicate(ids)
    : sql`${raw(param.columns?.[0] ?? 'null')} = any(${ids}::uuid[])`;
  const own = facilityPredicate(source, context.principal.facilityId) ?? sql`true`;
  const rows = await context.db.query<{ id: string }>(
    sql`select t.id from ${raw(source.table.table)} t where ${raw(source.table.live)} and ${predicate} and ${own} limit ${MAX_INCLUDED}`,
  );
  return entriesOf(
    context,
    source.type,
    rows.map((r) => r.id),
  );
}

async function entriesOf(context: FhirContext, type: string, ids: string[]): Promise<BundleEntryText[]> {
  const found = await readMany(context.db, type, ids);
  return [...found.values()].map((payload) => ({
    fullUrl: `${context.baseUrl}/${type}/${payload.id}`,
    resourceJson: payload.json,
    search: { mode: 'include' as const },
  }));
}

/** A resource appears once in a Bundle, as a match if it matched (FHIR search.html#include). */
function dedupe(entries: BundleEntryText[]): BundleEntryText[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (!e.fullUrl) {
      return true;
    }
    if (seen.has(e.fullUrl)) {
      return false;
    }
    seen.add(e.fullUrl);
    return true;
  });
}
