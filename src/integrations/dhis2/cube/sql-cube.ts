import { ageBoundsFrom } from '../../../domain/indicator/catalogue.ts';
import type { Pool } from 'pg';
import type { CubeQuery, IndicatorCube, Observation } from '../../../domain/indicator/cube.ts';
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
  /** Calls answered from the cache and computed (for tests and the benchmark). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(options: SqlIndicatorCubeOptions) {
    this.#options = options;
    this.#db = poolQueryable(options.pool);
    this.#cache = new CubeCache(options.cache ?? { maxEntries: 64, maxAgeMs: 10 * 60_000 });
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
    const context: SourceContext = {
      period: query.period,
      timeZone: this.#options.timeZone,
      ageBounds: this.#options.ageBounds,
      populations: wanted.has('COVERAGE_PER_1000')
        ? await denominatorsOf(
            db,
            'POPULATION',
            query.orgUnits.map((o) => o.id),
            query.period,
          )
        : new Map(),
    };
    const scope = scopeCtes((await this.#treeAt(version)).scopeOf(query.orgUnits));
    const statements = SOURCES.flatMap((source) => {
      const indicators = query.indicators.filter((i) => i.code in source.aggregates);
      if (indicators.length === 0 || query.orgUnits.length === 0) {
        return [];
      }
      const selects = indicators.map((i) => aggregateSql(i, source.aggregates[i.code]!(context)));
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
    const started = performance.now();
    const observations = observationsOf(query, results.flat(), this.#options.suppressBelow);
    this.#options.trace?.('observations', performance.now() - started);
    return observations;
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
