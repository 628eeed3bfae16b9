import type { Period } from '../../../domain/indicator/periods.ts';
import { raw, sql, type Sql } from '../../../platform/database/sql.ts';
import type { Aggregate } from './rollup.ts';

/** What a source's SQL depends on besides the org units. */
export interface SourceContext {
  period: Period;
  /** The scheme's time zone: a timestamp (claim received, record created) falls on its day there. */
  timeZone: string;
  ageBounds: readonly number[];
  /** Population per asked org unit (COVERAGE_PER_1000), read from DHIS2's pushes. */
  populations: ReadonlyMap<string, string>;
}

/**
 * A family of indicators computed in one statement: CTEs that read the registers once (for the
 * period and the asked subtrees), and how each indicator aggregates them.
 */
export interface Source {
  name: string;
  ctes(context: SourceContext): Sql;
  aggregates: Readonly<Record<string, (context: SourceContext) => Aggregate>>;
  /**
   * How the cells (cells.ts) compute this source in parts that writes reach separately, each part's
   * sums adding up to the source's; absent: one part, the source itself. A part's name is what
   * the triggers mark (migration IndicatorCells).
   */
  cellParts?: readonly Source[];
}

/** The parts the cells compute: each source's cellParts, or the source itself. */
export function cellPartsOf(sources: readonly Source[]): Source[] {
  return sources.flatMap((source) => source.cellParts ?? [source]);
}

/** The period's days (dates) and its instants in the scheme's time zone ([from, until)). */
export function boundsOf(context: SourceContext): { start: Sql; end: Sql; from: Sql; until: Sql } {
  const { period, timeZone } = context;
  return {
    start: sql`${period.start}::date`,
    end: sql`${period.end}::date`,
    from: sql`(${period.start}::date::timestamp at time zone ${timeZone})`,
    until: sql`((${period.end}::date + 1)::timestamp at time zone ${timeZone})`,
  };
}

/** A register record (insuree, family) that existed on the period's last day: created, not yet retired. */
export function existedAtEnd(alias: 'i' | 'f', until: Sql): Sql {
  const a = raw(alias);
  return sql`${a}.created_at < ${until} and (${a}.deleted_at is null or ${a}.deleted_at >= ${until})`;
}
