import { ageBoundsFrom } from '../../../domain/indicator/catalogue.ts';
import type { Pool } from 'pg';
import type { CubeQuery, IndicatorCube, Observation, OrgUnit } from '../../../domain/indicator/cube.ts';
import type { Period } from '../../../domain/indicator/periods.ts';
import type { Config } from '../../../platform/config/config.ts';
import { poolQueryable, type Queryable } from '../../../platform/database/queryable.ts';
import { runStatement } from './run-statement.ts';
import { claimsSource } from './claims.source.ts';
import { CubeCache } from './cube-cache.ts';
import { readDataVersion, type DataVersion } from './data-version.ts';
import { OrgUnitTree } from './org-unit-tree.ts';
import { denominatorsOf } from './denominators.ts';
import { familiesSource } from './families.source.ts';
import { peopleSource } from './people.source.ts';
import { policiesSource } from './policies.source.ts';
import { observationsOf, type CubeRow } from './observations.ts';
import { aggregateSql, scopeCtes, statementSql } from './rollup.ts';
import { IndicatorCells } from './cells.ts';
import type { Source, SourceContext } from './source.ts';

const SOURCES: readonly Source[] = [peopleSource, familiesSource, policiesSource, claimsSource];

export interface SqlIndicatorCubeOptions {
  pool: Pool;
  timeZone: string;
  /** INDICATOR_AGE_BOUNDS: the lower bounds of the age bands after 0. */
  ageBounds: readonly number[];
  /** INDICATOR_SUPPRESS_BELOW: counts 1 … n−1 are withheld; 0 withholds nothing. */
  suppressBelow: number;
  cache?: { maxEntries: number; maxAgeMs: number };
  /** Told how long each step of a computation took (the benchmark prints it). */
  trace?: (step: string, ms: number) => void;
  /** Whether months are answered from kept cells (cells.ts); default true. */
  cells?: boolean;
}

/**
 * The indicator cube over the registers: one SQL statement per source (people, families,
 * policies, claims) for every asked indicator of it and every asked org unit, run side by side;
 * zeros and small cells handled per indicator here. A result is kept until the data changes
 * (readDataVersion, one cheap query per call), so an unchanged month is answered from memory.
 */
export class SqlIndicatorCube implements IndicatorCube {
  readonly #options: SqlIndicatorCubeOptions;
  readonly #db: Queryable;
  readonly #cache: CubeCache;
  readonly #pending = new Map<string, Promise<readonly Observation[]>>();
  readonly #cells: IndicatorCells | undefined;
  /** Calls answered from the cache and computed (for tests and the benchmark). */
  readonly stats = { hits: 0, misses: 0 };
  /** Computations answered from cells and from the registers. */
  readonly paths = { cells: 0, registers: 0 };

  constructor(options: SqlIndicatorCubeOptions) {
    this.#options = options;
    this.#db = poolQueryable(options.pool);
    this.#cache = new CubeCache(options.cache ?? { maxEntries: 64, maxAgeMs: 10 * 60_000 });
    this.#cells =
      options.cells === false ? undefined : new IndicatorCells(options.pool, SOURCES, options.trace);
  }

  #tree: { version: string; tree: Promise<OrgUnitTree> } | undefined;

  /** The version the cache compares with (exposed so that callers can tell a change happened). */
  async dataVersion(): Promise<string> {
    return (await readDataVersion(this.#db)).all;
  }

  async compute(query: CubeQuery): Promise<Observation[]> {
    const key = JSON.stringify([
      query.indicators.map((i) => i.code),
      query.period.code,
      query.orgUnits.map((o) => o.id),
    ]);
    const versions = await readDataVersion(this.#db);
    const version = versions.all;
    const cached = this.#cache.get(key, version);
    if (cached) {
      this.stats.hits++;
      return [...cached];
    }
    // Identical calls while one computes share its result.
    const pendingKey = `${key}@${version}`;
    let pending = this.#pending.get(pendingKey);
    if (!pending) {
      this.stats.misses++;
      pending = this.#computeFresh(query, versions).then((observations) => {
        this.#cache.set(key, version, observations);
        return observations;
      });
      this.#pending.set(pendingKey, pending);
      void pending.finally(() => this.#pending.delete(pendingKey)).catch(() => undefined);
    }
    return [...(await pending)];
  }

  /**
   * Brings a month's cells up to date ahead of the requests for it (the refresh job), so that a
   * request pays only for what was written since. False for a period no cells are kept for.
   */
  async prepare(period: Period): Promise<boolean> {
    if (!this.#cells || !(await this.#cells.keeps(period))) {
      return false;
    }
    const tree = await this.#treeAt(await readDataVersion(this.#db));
    await this.#cells.bringUpToDate(this.#contextOf(period, new Map()), tree);
    return true;
  }

  /** Drops the marks of months whose cells were never built (the refresh job); how many. */
  async forgetUnbuiltMarks(): Promise<number> {
    return this.#cells ? this.#cells.forgetUnbuilt() : 0;
  }

  #contextOf(period: Period, populations: ReadonlyMap<string, string>): SourceContext {
    return {
      period,
      timeZone: this.#options.timeZone,
      ageBounds: this.#options.ageBounds,
      populations,
    };
  }

  /** The org-unit tree as of `version`, read again when locations or facilities changed. */
  #treeAt(version: DataVersion): Promise<OrgUnitTree> {
    if (this.#tree?.version !== version.tree) {
      const tree = OrgUnitTree.read(this.#db);
      this.#tree = { version: version.tree, tree };
      tree.catch(() => (this.#tree = undefined));
    }
    return this.#tree.tree;
  }

  async #computeFresh(query: CubeQuery, version: DataVersion): Promise<readonly Observation[]> {
    const db = this.#db;
    const wanted = new Set(query.indicators.map((i) => i.code));
    for (const code of wanted) {
      if (!SOURCES.some((s) => code in s.aggregates)) {
        throw new Error(`No SQL computes indicator ${code}`);
      }
    }
    const populations = wanted.has('COVERAGE_PER_1000')
      ? await denominatorsOf(
          db,
          'POPULATION',
          query.orgUnits.map((o) => o.id),
          query.period,
        )
      : new Map<string, string>();
    const context = this.#contextOf(query.period, populations);
    const tree = await this.#treeAt(version);
    let rows: CubeRow[];
    const scope =
      this.#cells && (await this.#cells.keeps(query.period)) ? tree.cellScopeOf(query.orgUnits) : undefined;
    if (this.#cells && scope && scope.roots.length > 0) {
      this.paths.cells++;
      await this.#cells.bringUpToDate(context, tree);
      const indicators = query.indicators.map((indicator) => ({
        indicator,
        aggregate: SOURCES.find((s) => indicator.code in s.aggregates)!.aggregates[indicator.code]!(context),
      }));
      rows = await this.#cells.valuesOf(context, indicators, scope);
      // A village is part of its ward's cell: it is computed from the registers.
      rows.push(...(await this.#fromRegisters(query.indicators, scope.uncovered, context, tree)));
    } else {
      this.paths.registers++;
      rows = await this.#fromRegisters(query.indicators, query.orgUnits, context, tree);
    }
    const started = performance.now();
    const observations = observationsOf(query, rows, this.#options.suppressBelow);
    this.#options.trace?.('observations', performance.now() - started);
    return observations;
  }

  /** One statement per source over the registers, for the org units' subtrees, run side by side. */
  async #fromRegisters(
    indicators: CubeQuery['indicators'],
    orgUnits: readonly OrgUnit[],
    context: SourceContext,
    tree: OrgUnitTree,
  ): Promise<CubeRow[]> {
    if (orgUnits.length === 0) {
      return [];
    }
    const scope = scopeCtes(tree.scopeOf(orgUnits));
    const statements = SOURCES.flatMap((source) => {
      const asked = indicators.filter((i) => i.code in source.aggregates);
      if (asked.length === 0) {
        return [];
      }
      const selects = asked.map((i) => aggregateSql(i, source.aggregates[i.code]!(context)));
      return [{ source: source.name, statement: statementSql(scope, source.ctes(context), selects) }];
    });
    const results = await Promise.all(
      statements.map(async ({ source, statement }) => {
        const started = performance.now();
        const rows = await runStatement<CubeRow>(this.#options.pool, statement);
        this.#options.trace?.(`${source} (${rows.length} rows)`, performance.now() - started);
        return rows;
      }),
    );
    return results.flat();
  }
}

/** The cube the server serves, over its pool, as the configuration sets it. */
export function indicatorCubeFrom(config: Config, pool: Pool): SqlIndicatorCube {
  return new SqlIndicatorCube({
    pool,
    timeZone: config.SCHEME_TIME_ZONE,
    ageBounds: ageBoundsFrom(config.INDICATOR_AGE_BOUNDS),
    suppressBelow: config.INDICATOR_SUPPRESS_BELOW,
  });
}
