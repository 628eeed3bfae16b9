import pg from 'pg';
import { Indicators, ageBoundsFrom } from '../src/domain/indicator/catalogue.ts';
import { parsePeriod } from '../src/domain/indicator/periods.ts';
import { poolQueryable } from '../src/platform/database/queryable.ts';
import { orgUnitsAtLevels } from '../src/integrations/dhis2/cube/org-units.ts';
import { OrgUnitTree } from '../src/integrations/dhis2/cube/org-unit-tree.ts';
import { peopleSource } from '../src/integrations/dhis2/cube/people.source.ts';
import { familiesSource } from '../src/integrations/dhis2/cube/families.source.ts';
import { policiesSource } from '../src/integrations/dhis2/cube/policies.source.ts';
import { claimsSource } from '../src/integrations/dhis2/cube/claims.source.ts';
import { aggregateSql, scopeCtes, statementSql } from '../src/integrations/dhis2/cube/rollup.ts';
const pool = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/kinga_cube_1000000' });
const db = poolQueryable(pool);
const orgUnits = await orgUnitsAtLevels(db, ['W', 'HF']);
const period = parsePeriod(process.argv[3] ?? '202610');
const context = {
  period,
  timeZone: 'UTC',
  ageBounds: ageBoundsFrom('6,13,19,26,36,56,76'),
  populations: new Map(),
};
const tree = await OrgUnitTree.read(db);
const scope = scopeCtes(tree.scopeOf(orgUnits));
const source = {
  people: peopleSource,
  families: familiesSource,
  policies: policiesSource,
  claims: claimsSource,
}[process.argv[2]!]!;
const only = process.argv[4]?.split(',');
const indicators = Indicators.filter((i) => i.code in source.aggregates && (!only || only.includes(i.code)));
const st = statementSql(
  scope,
  source.ctes(context),
  indicators.map((i) => aggregateSql(i, source.aggregates[i.code]!(context))),
);
const { text, values } = st.toQuery();
const c = await pool.connect();
await c.query(
  `begin read only; set local jit = off; set local work_mem = '64MB'; set local max_parallel_workers_per_gather = 0; set local hash_mem_multiplier = 4; ${process.env.EXTRA ?? ''}`,
);
if (process.env.SHOWSQL) console.log(text);
const t0 = performance.now();
const r = await c.query(
  (process.env.NOEXPLAIN ? '' : 'explain (analyze, buffers, costs off) ') + text,
  values,
);
if (process.env.NOEXPLAIN) {
  console.log('plain', (performance.now() - t0).toFixed(0), 'ms', r.rowCount);
  process.exit(0);
}
console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
await c.query('rollback');
c.release();
await pool.end();
