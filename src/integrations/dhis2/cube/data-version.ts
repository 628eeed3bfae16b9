import type { Queryable } from '../../../platform/database/queryable.ts';
import { raw, sql } from '../../../platform/database/sql.ts';

/** The org-unit tree's registers. */
const TREE = ['location', 'organisation'] as const;
/** Every other table an indicator reads that has `updated_at` (claim lines change with their claim). */
const REGISTERS = [
  'family',
  'insuree',
  'product',
  'policy',
  'insuree_policy',
  'premium',
  'diagnosis',
  'claim',
] as const;

export interface DataVersion {
  /** Changes whenever anything an indicator reads changes. */
  all: string;
  /** Changes whenever a location or a facility changes. */
  tree: string;
}

const latest = (tables: readonly string[]) =>
  raw(
    tables
      .map(
        (table) =>
          `(select max(updated_at)::text from ${table}), (select r.id::text from ${table} r order by r.id desc limit 1)`,
      )
      .join(', '),
  );

/**
 * What the indicators' data looks like now, in one cheap query: per register the latest
 * `updated_at` and the greatest id (UUIDv7, so a new record raises it), each one step down an
 * index. Records are never deleted (retiring one updates it), so any write moves the version.
 * The DHIS2 denominators (a small table: a population per org unit and period) add their row
 * count, which a deletion moves, and latest update.
 */
export async function readDataVersion(db: Queryable): Promise<DataVersion> {
  const [row] = await db.query<{ tree: string; rest: string }>(sql`
    select concat_ws('|', ${latest(TREE)}) as tree,
           concat_ws('|', ${latest(REGISTERS)},
             (select count(*) || ':' || coalesce(max(updated_at)::text, '') from indicator_denominator)) as rest`);
  return { all: `${row!.tree}|${row!.rest}`, tree: row!.tree };
}
