import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { indicatorNamed, type IndicatorDefinition } from '../../../domain/indicator/catalogue.ts';
import type { Period } from '../../../domain/indicator/periods.ts';
import { addMonths } from '../../../domain/policy/calendar.ts';
import type { IsoDate } from '../../../domain/shared/dates.ts';
import { sql, type Sql } from '../../../platform/database/sql.ts';
import type { CubeRow } from './observations.ts';
import { runStatement } from './run-statement.ts';
import { CELL_LAYOUT, type OrgUnitTree, type Scope } from './org-unit-tree.ts';
import { cellSumsSql, scopeCtes, statementSql, valuesFromSumsSql, type Aggregate } from './rollup.ts';
import { cellPartsOf, type Source, type SourceContext } from './source.ts';

/**
 * The cube's pre-aggregation: per month, each indicator's sums per cell (a ward, a facility; see
 * OrgUnitTree.cellOf), part of a source (Source.cellParts) and stratum, in `indicator_cell`. Any
 * org unit at or above the cells gets its values by adding its cells' sums (valuesFromSumsSql):
 * some 450 000 rows a month at 1 M insurees, instead of every register and claim line.
 *
 * Cells are kept up to date from marks that triggers leave on every write (migration
 * IndicatorCells): before answering, the parts of the cells marked for the month are computed
 * again, with the same SQL as a computation from the registers, over those cells only. A month
 * is built whole the first time it is asked, and again when its SQL, the cell layout, the
 * scheme's time zone or age bands, or the org-unit tree (the generation) changed.
 *
 * Marks are taken in a short transaction of their own into `indicator_refreshing`, and dropped
 * there with the cells' commit: a write never waits for a refresh, and a refresh that fails or is
 * cut off leaves its marks to the next one.
 */
export class IndicatorCells {
  readonly #pool: Pool;
  /** The sources in the parts that writes reach separately (Source.cellParts). */
  readonly #parts: readonly Source[];
  readonly #trace: (step: string, ms: number) => void;

  constructor(pool: Pool, sources: readonly Source[], trace?: (step: string, ms: number) => void) {
    this.#pool = pool;
    this.#parts = cellPartsOf(sources);
    this.#trace = trace ?? (() => undefined);
  }

  /**
   * Whether a period is one month that cells are kept for: the current one and the 24 before, as
   * the triggers count them (indicator_today(): the database's date, a day off the scheme's at
   * most, for which the marks reach a month further each way).
   */
  async keeps(period: Period): Promise<boolean> {
    if (period.type !== 'monthly') {
      return false;
    }
    const { rows } = await this.#pool.query<{ today: IsoDate }>(`select indicator_today()::text as today`);
    const current = `${rows[0]!.today.slice(0, 7)}-01`;
    return period.start <= current && period.start >= addMonths(current, -24);
  }

  /** Builds or refreshes the month's cells, so that they hold what is committed now. */
  async bringUpToDate(context: SourceContext, tree: OrgUnitTree): Promise<void> {
    const month = context.period.start;
    await this.#underLock(month, async (client) => {
      const fingerprint = this.#fingerprint(context);
      const [current] = await query<{ built: boolean; generation: string }>(
        client,
        sql`select g.n::text as generation,
                   exists (select 1 from indicator_month m
                            where m.month = ${month}::date and m.fingerprint = ${fingerprint}
                              and m.generation = g.n) as built
              from indicator_generation g`,
      );
      if (current!.built) {
        await this.#refresh(client, context, tree);
      } else {
        await this.#build(client, context, tree, fingerprint, current!.generation);
      }
    });
  }

  /** One builder, refresher or forgetter per month, across processes (the server, the worker). */
  async #underLock(month: IsoDate, work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.#pool.connect();
    const key = sql`hashtext('kinga.indicator_cell'), ${Number(month.slice(0, 4) + month.slice(5, 7))}`;
    try {
      await query(client, sql`select pg_advisory_lock(${key})`);
      try {
        await work(client);
      } finally {
        await query(client, sql`select pg_advisory_unlock(${key})`);
      }
    } finally {
      client.release();
    }
  }

  /**
   * Drops the marks of months that were never built: a build starts from the registers, so they
   * would only pile up (a back-dated import marks every month since). Each month under its lock,
   * as a build may be starting. Returns how many marks went.
   */
  async forgetUnbuilt(): Promise<number> {
    const { rows } = await this.#pool.query<{ month: IsoDate }>(
      `select distinct d.month::text as month from indicator_dirty d
        where not exists (select 1 from indicator_month m where m.month = d.month)`,
    );
    let forgotten = 0;
    for (const { month } of rows) {
      await this.#underLock(month, async (client) => {
        const [deleted] = await query<{ n: number }>(
          client,
          sql`with gone as (
                delete from indicator_dirty d
                 where d.month = ${month}::date
                   and not exists (select 1 from indicator_month m where m.month = d.month)
                returning 1)
              select count(*)::int as n from gone`,
        );
        forgotten += deleted!.n;
      });
    }
    return forgotten;
  }

  /** The values of `indicators` for each org unit of `scope` (OrgUnitTree.cellScopeOf), from the month's cells. */
  async valuesOf(
    context: SourceContext,
    indicators: readonly { indicator: IndicatorDefinition; aggregate: Aggregate }[],
    scope: { roots: string[]; cells: string[] },
  ): Promise<CubeRow[]> {
    if (indicators.length === 0 || scope.roots.length === 0) {
      return [];
    }
    const started = performance.now();
    // Each indicator reads its own cells (by the month's indicator index) and sums them per root.
    const rows = await runStatement<CubeRow>(
      this.#pool,
      sql`with scope(root, unit) as (select * from unnest(${scope.roots}::uuid[], ${scope.cells}::uuid[]))
        ${valuesFromSumsSql(
          indicators,
          (indicator) => sql`select s.root::text as root, c.strata, sum(c.num) as num, sum(c.den) as den
              from indicator_cell c join scope s on s.unit = c.unit
             where c.month = ${context.period.start}::date and c.indicator = ${indicator.code}
             group by 1, 2`,
        )}`,
    );
    this.#trace(`cells (${rows.length} rows)`, performance.now() - started);
    return rows;
  }

  async #build(
    client: PoolClient,
    context: SourceContext,
    tree: OrgUnitTree,
    fingerprint: string,
    generation: string,
  ): Promise<void> {
    const month = context.period.start;
    // Marks older than the build are in it; newer ones stay for the next refresh.
    await query(client, sql`delete from indicator_dirty where month = ${month}::date`);
    await query(client, sql`delete from indicator_refreshing where month = ${month}::date`);
    const all = tree.allCells();
    await this.#eachPart(this.#parts, async (part, partClient) => {
      await query(
        partClient,
        sql`delete from indicator_cell where month = ${month}::date and part = ${part.name}`,
      );
      await this.#insertCells(partClient, context, part, all, `build: ${part.name}`);
    });
    // Built only once every part is: a build cut off is done again.
    await query(
      client,
      sql`insert into indicator_month (month, fingerprint, generation, built_at)
          values (${month}::date, ${fingerprint}, ${generation}::bigint, now())
          on conflict (month) do update
            set fingerprint = excluded.fingerprint, generation = excluded.generation, built_at = excluded.built_at`,
    );
    // A build replaced a month's cells: vacuum takes back the rows it deleted (autovacuum would,
    // later; an answer read through 3.6 M dead rows in 1.5 s against 0.95 s), and analyze tells
    // the planner of the new ones before the first answer. 1.4 s at 1 M insurees, once a month.
    await query(client, sql`vacuum (analyze) indicator_cell`);
  }

  async #refresh(client: PoolClient, context: SourceContext, tree: OrgUnitTree): Promise<void> {
    const month = context.period.start;
    await query(
      client,
      sql`with taken as (delete from indicator_dirty where month = ${month}::date returning month, unit, part)
          insert into indicator_refreshing (month, unit, part) select distinct month, unit, part from taken
          on conflict do nothing`,
    );
    const marks = await query<{ unit: string; part: string }>(
      client,
      sql`select unit::text, part from indicator_refreshing where month = ${month}::date`,
    );
    const marked = (part: Source) => marks.filter((m) => m.part === part.name).map((m) => m.unit);
    await this.#eachPart(
      this.#parts.filter((part) => marked(part).length > 0),
      async (part, partClient) => {
        const { cells, scope } = tree.cellsOf(marked(part));
        await query(
          partClient,
          sql`delete from indicator_cell
               where month = ${month}::date and part = ${part.name} and unit = any(${cells}::uuid[])`,
        );
        await this.#insertCells(
          partClient,
          context,
          part,
          scope,
          `refresh of ${cells.length} cells: ${part.name}`,
        );
        await query(
          partClient,
          sql`delete from indicator_refreshing where month = ${month}::date and part = ${part.name}`,
        );
      },
    );
  }

  /**
   * Runs `work` for each part in a transaction of its own, two at a time (the cores of a modest
   * server; more would take the API's connections): a part's cells and its marks change together.
   */
  async #eachPart(
    parts: readonly Source[],
    work: (part: Source, client: PoolClient) => Promise<void>,
  ): Promise<void> {
    const pending = [...parts];
    const lane = async () => {
      for (let part = pending.shift(); part; part = pending.shift()) {
        const client = await this.#pool.connect();
        try {
          await inTransaction(client, () => work(part, client));
        } finally {
          client.release();
        }
      }
    };
    await Promise.all([lane(), lane()]);
  }

  async #insertCells(
    client: PoolClient,
    context: SourceContext,
    part: Source,
    scope: Scope,
    step: string,
  ): Promise<void> {
    const started = performance.now();
    await query(
      client,
      sql`insert into indicator_cell (month, part, unit, indicator, strata, num, den)
          select ${context.period.start}::date, ${part.name}, c.unit, c.indicator, c.strata, c.num, c.den
            from (${this.#cellsStatement(part, context, scopeCtes(scope))}) c`,
    );
    this.#trace(step, performance.now() - started);
  }

  #cellsStatement(source: Source, context: SourceContext, scope: Sql): Sql {
    const selects = Object.entries(source.aggregates).map(([code, aggregate]) =>
      cellSumsSql(indicatorNamed(code)!, aggregate(context)),
    );
    return statementSql(scope, source.ctes(context), selects);
  }

  /** What a month's cells were computed with: the statements' text and the settings they take. */
  #fingerprint(context: SourceContext): string {
    const empty: Scope = { locations: { roots: [], units: [] }, facilities: { roots: [], units: [] } };
    const texts = this.#parts.map(
      (part) => `${part.name}: ${this.#cellsStatement(part, context, scopeCtes(empty)).toQuery().text}`,
    );
    // The layout is code too: which cell a village's records go to.
    const layout = CELL_LAYOUT;
    return createHash('sha256')
      .update(JSON.stringify([texts, layout, context.timeZone, context.ageBounds]))
      .digest('hex');
  }
}

async function query<Row = unknown>(client: PoolClient, statement: Sql): Promise<Row[]> {
  const { text, values } = statement.toQuery();
  return (await client.query(text, values)).rows as Row[];
}

/**
 * A write transaction with the cube's statement settings (run-statement.ts): no JIT, hash
 * aggregates in memory.
 */
async function inTransaction(client: PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query(
    `begin; set local jit = off; set local work_mem = '64MB'; set local max_parallel_workers_per_gather = 0; set local hash_mem_multiplier = 4`,
  );
  try {
    await work();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
