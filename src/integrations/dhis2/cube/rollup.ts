import type { CategoryCode, IndicatorDefinition } from '../../../domain/indicator/catalogue.ts';
import { joinSql, raw, sql, type Sql } from '../../../platform/database/sql.ts';
import type { Scope } from './org-unit-tree.ts';

/**
 * How facts become an org unit's values: every fact carries its base unit (a village, a
 * facility); the scope pairs each asked org unit (root) with every unit of its subtree, and one
 * GROUP BY over (root, strata) sums each root's subtree. One statement serves every asked org
 * unit, whatever their levels.
 *
 * The pairs are worked out beforehand from the tree held in memory (OrgUnitTree) and given as
 * arrays: PostgreSQL then knows how many there are. A recursive CTE over the location
 * tree gives the same pairs, but its size is guessed (×10 per level: 22 million for 42 000 over
 * a country), and every join and aggregate after it was planned as sorts spilled to disk.
 */

/** Separates the option codes of a stratum in the `strata` column (codes never hold it). */
export const STRATA_SEPARATOR = '\x1f';

/**
 * The scope CTEs: `scope_location(root, unit)` the locations under each asked org unit (where
 * families live), `scope_facility(root, unit)` the facilities (where claims are made).
 */
export function scopeCtes(scope: Scope): Sql {
  const { locations, facilities } = scope;
  return sql`scope_location(root, unit) as (
      select * from unnest(${locations.roots}::uuid[], ${locations.units}::uuid[])
    ),
    scope_facility(root, unit) as (
      select * from unnest(${facilities.roots}::uuid[], ${facilities.units}::uuid[])
    )`;
}

/** The column of the facts CTEs that holds a category's option code. */
export function categoryColumn(category: CategoryCode): string {
  return category.toLowerCase();
}

/**
 * How an indicator aggregates the rows of a facts CTE (columns: root, one per category, and the
 * measures named here, as SQL over alias f). A fact is in the CTE once per asked org unit above it:
 * each source joins the scope where it reads the base unit, so that every join has a side
 * PostgreSQL has statistics for (two CTEs joined on a column of unknown spread are estimated at
 * billions of rows, and planned as sorts).
 */
export interface Aggregate {
  facts: string;
  where?: string;
  /** Summed per stratum and for the total. */
  num: string;
  /** A rate's denominator, summed likewise. */
  den?: string;
  /** The total from other facts (members covered: once each, while a stratum is a product). */
  total?: { facts: string; where?: string; num: string };
  /** A rate: num × multiplier / den. */
  multiplier?: number;
  /** A stratum's rate is over the whole's denominator (rejected lines of a reason per 100 lines). */
  denominatorOfTotal?: boolean;
  /** The denominator is given per asked org unit (a population pushed from DHIS2). */
  denominatorPerRoot?: ReadonlyMap<string, string>;
}

/**
 * One indicator's rows: (indicator, root, strata, value), `strata` null for the total and
 * otherwise the option codes in the catalogue's category order. A stratum with no facts has no
 * row; a fact with no option for a category (no birth date, a line not rejected) counts in the
 * total only. Values are decimal text computed in SQL numeric: counts whole, money to 2 decimals,
 * rates rounded half up to 2 decimals (null without a positive denominator).
 */
export function aggregateSql(indicator: IndicatorDefinition, aggregate: Aggregate): Sql {
  return sql`select ${indicator.code}::text as indicator, g.root, g.strata, ${valueSql(indicator, aggregate)} as value
      from (${groupedSql(indicator, aggregate)}) g${denominatorJoin(aggregate)}`;
}

/**
 * One indicator's sums per root and stratum, before they become values: what a month's cells
 * keep (cells.ts), each root being a cell unit. Every value is a function of these sums, and a sum
 * over a subtree is the sum of its cells' sums, so that an org unit's values come from its cells.
 */
export function cellSumsSql(indicator: IndicatorDefinition, aggregate: Aggregate): Sql {
  return sql`select ${indicator.code}::text as indicator, g.root::uuid as unit, g.strata, g.num, g.den
      from (${groupedSql(indicator, aggregate)}) g`;
}

/**
 * The values of `indicators` from their sums per asked org unit and stratum (`sumsOf`: a relation
 * of root, strata, num, den), as aggregateSql computes them from the facts.
 */
export function valuesFromSumsSql(
  indicators: readonly { indicator: IndicatorDefinition; aggregate: Aggregate }[],
  sumsOf: (indicator: IndicatorDefinition) => Sql,
): Sql {
  return joinSql(
    indicators.map(
      ({ indicator, aggregate }) => sql`select ${indicator.code}::text as indicator, g.root, g.strata,
             ${valueSql(indicator, aggregate)} as value
        from (${sumsOf(indicator)}) g${denominatorJoin(aggregate)}`,
    ),
    '\n    union all\n    ',
  );
}

/** (root, strata, num, den): the sums of one indicator's facts per asked org unit and stratum. */
function groupedSql(indicator: IndicatorDefinition, aggregate: Aggregate): Sql {
  const columns = indicator.categories.map((c) => `f.${categoryColumn(c)}`);
  const den = aggregate.den ?? 'null::numeric';
  const where = aggregate.where ?? 'true';
  if (columns.length === 0) {
    return totalSql(aggregate.total ?? aggregate, den);
  }
  if (aggregate.total) {
    return sql`${totalSql(aggregate.total, den)}
     union all
    select f.root::text as root, concat_ws(${STRATA_SEPARATOR}, ${raw(columns.join(', '))}) as strata,
           sum(${raw(aggregate.num)}) as num, sum(${raw(den)})::numeric as den
      from ${raw(aggregate.facts)} f
     where ${raw(where)} and ${raw(columns.map((c) => `${c} is not null`).join(' and '))}
     group by f.root, ${raw(columns.join(', '))}`;
  }
  // One pass for the total and the strata; a stratum with a missing option is dropped.
  const isTotal = raw(`grouping(${columns.join(', ')}) <> 0`);
  return sql`
    select f.root::text as root,
           case when ${isTotal} then null else concat_ws(${STRATA_SEPARATOR}, ${raw(columns.join(', '))}) end as strata,
           sum(${raw(aggregate.num)}) as num, sum(${raw(den)})::numeric as den
      from ${raw(aggregate.facts)} f
     where ${raw(where)}
     group by grouping sets ((f.root), (f.root, ${raw(columns.join(', '))}))
    having ${isTotal} or (${raw(columns.map((c) => `${c} is not null`).join(' and '))})`;
}

function totalSql(total: { facts: string; where?: string; num: string }, den: string): Sql {
  return sql`
    select f.root::text as root, null::text as strata, sum(${raw(total.num)}) as num, sum(${raw(den)})::numeric as den
      from ${raw(total.facts)} f
     where ${raw(total.where ?? 'true')}
     group by f.root`;
}

function valueSql(indicator: IndicatorDefinition, aggregate: Aggregate): Sql {
  if (!indicator.rate) {
    return indicator.unit === 'money' ? raw('round(g.num, 2)::text') : raw('g.num::numeric::text');
  }
  const den = aggregate.denominatorPerRoot
    ? raw('d.den')
    : aggregate.denominatorOfTotal
      ? raw('max(g.den) filter (where g.strata is null) over (partition by g.root)')
      : raw('g.den');
  return sql`case when ${den} > 0 then round(g.num * ${aggregate.multiplier ?? 1}::numeric / ${den}, 2)::text end`;
}

function denominatorJoin(aggregate: Aggregate): Sql {
  const given = aggregate.denominatorPerRoot;
  if (!given) {
    return raw('');
  }
  return sql` join unnest(${[...given.keys()]}::text[], ${[...given.values()]}::numeric[]) as d(root, den)
      on d.root = g.root`;
}

/** One statement: the scope, a source's CTEs, and the union of its indicators' rows. */
export function statementSql(scope: Sql, sourceCtes: Sql, selects: readonly Sql[]): Sql {
  return sql`with ${scope}, ${sourceCtes}
    ${joinSql(selects, '\n    union all\n    ')}`;
}
