import pino from 'pino';
import t, { type Test } from 'tap';
import { openDatabase } from '../../src/app.ts';
import { ageBoundsFrom, Indicators } from '../../src/domain/indicator/catalogue.ts';
import type { OrgUnit } from '../../src/domain/indicator/cube.ts';
import { parsePeriod } from '../../src/domain/indicator/periods.ts';
import { Claim } from '../../src/domain/claim/claim.entity.ts';
import { Family } from '../../src/domain/insuree/family.entity.ts';
import { Insuree } from '../../src/domain/insuree/insuree.entity.ts';
import { Location } from '../../src/domain/location/location.entity.ts';
import { InsureePolicy } from '../../src/domain/policy/insuree-policy.entity.ts';
import { Policy } from '../../src/domain/policy/policy.entity.ts';
import { Premium } from '../../src/domain/policy/premium.entity.ts';
import { Product } from '../../src/domain/product/product.entity.ts';
import { findOrgUnits } from '../../src/integrations/dhis2/cube/org-units.ts';
import { SqlIndicatorCube } from '../../src/integrations/dhis2/cube/sql-cube.ts';
import { poolQueryable } from '../../src/platform/database/queryable.ts';
import { sql } from '../../src/platform/database/sql.ts';
import { refreshIndicatorCellsJob } from '../../src/platform/jobs/refresh-indicator-cells.job.ts';
import { testConfig, unique } from '../helpers/test-app.ts';
import { freshDatabase } from '../helpers/test-database.ts';
import { write } from '../policy/scheme-fixtures.ts';
import { writeClaimLike, writeScheme, type FacilityKey, type PlaceKey } from './cube-scheme.ts';

/**
 * The cube's cells (src/integrations/dhis2/cube/cells.ts) against the registers: after every kind
 * of write the cube reads, a month answered from cells equals the month computed from the
 * registers, and only the cells the write reached were computed again. A database of its own:
 * another file's new location would rebuild every month (the generation) and hide which cells a
 * write made stale.
 */
const url = await freshDatabase(t, 'kinga_cells_test');
const config = testConfig({ DATABASE_URL: url });
const database = await openDatabase(config, url);
t.teardown(() => database.orm.close());
const db = poolQueryable(database.pool);
const scheme = await writeScheme(database);
const UNITS = ['R', 'D', 'W1', 'W2', 'V1a', 'H1', 'H2'] as const;
const idOf = (unit: (typeof UNITS)[number]): string =>
  unit in scheme.place ? scheme.place[unit as PlaceKey] : scheme.facility[unit as FacilityKey];
const found = await findOrgUnits(db, UNITS.map(idOf), 'id');
const orgUnits: OrgUnit[] = UNITS.map((u) => found.get(idOf(u))!);

const steps: string[] = [];
const options = {
  pool: database.pool,
  // As the server's cube (the refresh job's) takes them: cells are built for one time zone and age bands.
  timeZone: config.SCHEME_TIME_ZONE,
  ageBounds: ageBoundsFrom(config.INDICATOR_AGE_BOUNDS),
  suppressBelow: 0,
  // Nothing kept in memory: every call reads the cells or the registers.
  cache: { maxEntries: 0, maxAgeMs: 0 },
};
const fromCells = new SqlIndicatorCube({ ...options, trace: (step) => steps.push(step) });
const fromRegisters = new SqlIndicatorCube({ ...options, cells: false });

const valuesOf = async (cube: SqlIndicatorCube, period: string) =>
  (await cube.compute({ indicators: Indicators, period: parsePeriod(period), orgUnits }))
    .map((o) => `${o.indicator}|${o.orgUnit}|${JSON.stringify(o.strata)}=${o.value}`)
    .sort();

/**
 * November and October from cells equal the registers'; and the cells did what is `expected` for
 * each month: "202611 build", or the parts refreshed and how many cells each ("202610 claims 2");
 * nothing when they were up to date.
 */
async function agree(t: Test, expected: readonly string[], message = 'what the cells did'): Promise<void> {
  const done: string[] = [];
  for (const month of ['202611', '202610']) {
    steps.length = 0;
    const cells = await valuesOf(fromCells, month);
    const registers = await valuesOf(fromRegisters, month);
    t.ok(cells.length > 100, `${month}: ${cells.length} values`);
    t.same(cells, registers, `${month}: cells as the registers`);
    if (steps.some((s) => s.startsWith('build'))) {
      done.push(`${month} build`);
    }
    for (const step of steps) {
      const refresh = /^refresh of (\d+) cells: (\w+)$/.exec(step);
      if (refresh) {
        done.push(`${month} ${refresh[2]} ${refresh[1]}`);
      }
    }
  }
  // Parts are refreshed side by side: their order is not the point.
  t.same(done.sort(), [...expected].sort(), message);
}

t.test('a month is built from the registers the first time it is asked', async (t) => {
  await agree(t, ['202611 build', '202610 build'], 'both months built');
  t.equal(fromCells.paths.cells, 2);
  t.equal(fromRegisters.paths.cells, 0);
  await agree(t, [], 'nothing written: nothing computed again');
});

t.test('a new claim: its facility and its patient’s ward', async (t) => {
  await writeClaimLike(database, scheme, {
    like: 'C3',
    key: 'C9',
    created: '2026-11-23T10:00:00Z',
    facility: 'H2',
    person: 'c1',
    diagnosis: 'D1',
  });
  await agree(
    t,
    ['202611 utilisation 1', '202611 claims 1'],
    'the claims of H2, the utilisation of W2 (the patient’s ward), in November only',
  );
});

t.test('a claim valuated, its lines adjudicated', async (t) => {
  await write(database, async (tx) => {
    const claim = await tx.findOneOrFail(
      Claim,
      { facility: scheme.facility.H2, status: 'checked' },
      { populate: ['lines'] },
    );
    claim.status = 'valuated';
    claim.valuatedAt = new Date('2026-11-24T08:00:00Z');
    for (const line of claim.lines) {
      line.benefit = '5.00';
    }
  });
  await agree(
    t,
    ['202611 utilisation 1', '202611 claims 1'],
    'the claims of H2; the utilisation of W2 too (any change of a claim marks its patient’s ward)',
  );
});

t.test('a family moves to another ward, with its members, policies and claims', async (t) => {
  await write(database, async (tx) => {
    const head = await tx.findOneOrFail(Insuree, scheme.person.a1!, { populate: ['family'] });
    head.family!.village = tx.getReference(Location, scheme.place.V2a);
  });
  const parts = ['people', 'utilisation', 'families', 'policies'];
  await agree(
    t,
    ['202611', '202610'].flatMap((month) => parts.map((part) => `${month} ${part} 2`)),
    'W1 and W2, everything placed by the family’s village, both months',
  );
});

t.test('a birth date corrected: the ward and the facilities of the claims', async (t) => {
  await write(database, async (tx) => {
    const person = await tx.findOneOrFail(Insuree, scheme.person.b2!);
    person.birthDate = '1950-03-03';
  });
  await agree(
    t,
    [
      '202611 people 1',
      '202611 utilisation 1',
      '202611 families 1',
      '202611 claims 1',
      '202610 people 1',
      '202610 utilisation 1',
      '202610 families 1',
    ],
    'W1 (F2 lives in V1b) both months; the claims of H1, where C2 was treated in November',
  );
});

t.test('a policy renewed, a member retired from a cover, a premium reversed', async (t) => {
  await write(database, async (tx) => {
    const expired = await tx.findOneOrFail(Policy, scheme.policy['F5-P2']!, {
      populate: ['family', 'product'],
    });
    tx.create(Policy, {
      family: expired.family,
      product: expired.product,
      stage: 'R',
      status: 'active',
      value: '90.00',
      enrolDate: '2026-11-22',
      startDate: '2026-11-22',
      effectiveDate: '2026-11-22',
      expiryDate: '2027-11-21',
      previous: expired,
    } as Policy);
    const cover = await tx.findOneOrFail(InsureePolicy, { policy: scheme.policy['F3-P1']! });
    cover.deletedAt = new Date('2026-11-10T00:00:00Z');
    const paid = await tx.findOneOrFail(Policy, scheme.policy['F1-P2']!, { populate: ['product'] });
    tx.create(Premium, {
      policy: paid,
      product: paid.product,
      kind: 'reversal',
      amount: '-15.50',
      receipt: unique('ICR'),
      payDate: '2026-11-03',
      payType: 'C',
    } as Premium);
  });
  await agree(
    t,
    ['202611 people 2', '202611 families 2', '202611 policies 2'],
    'W1 (F5) and W2 (F3, and F1 since it moved), each change dated in November; no claims',
  );
});

t.test('a write outside the months asked leaves their cells alone', async (t) => {
  await write(database, async (tx) => {
    const policy = await tx.findOneOrFail(Policy, scheme.policy['F3-P1']!, { populate: ['product'] });
    tx.create(Premium, {
      policy,
      product: policy.product,
      kind: 'payment',
      amount: '1.00',
      receipt: unique('ICR'),
      payDate: '2026-12-01',
      payType: 'C',
    } as Premium);
  });
  await agree(t, [], 'paid in December: November and October stand');
});

t.test('the refresh job takes in the writes: a request then computes nothing', async (t) => {
  await writeClaimLike(database, scheme, {
    like: 'C1',
    key: 'C10',
    created: '2026-11-24T06:00:00Z',
    facility: 'H1',
    person: 'e1',
    diagnosis: 'D2',
  });
  const job = refreshIndicatorCellsJob(config);
  const [unbuilt] = await db.query<{ n: number; december: number }>(
    sql`select count(*)::int as n, count(*) filter (where month = '2026-12-01')::int as december
          from indicator_dirty d where not exists (select 1 from indicator_month m where m.month = d.month)`,
  );
  t.ok(unbuilt!.december > 0, 'December, never built, has marks (the premium paid on its first day)');
  t.same(await job.run({ today: '2026-11-24' }, { orm: database.orm, log: pino({ level: 'silent' }) }), {
    today: '2026-11-24',
    refreshed: ['202610', '202611'],
    forgotten: unbuilt!.n,
  });
  const [marks] = await db.query<{ n: number }>(sql`select count(*)::int as n from indicator_dirty`);
  t.equal(marks!.n, 0, 'no marks left: October and November took theirs in, December’s were dropped');
  await agree(t, [], 'the cells were up to date');
});

t.test('a product’s code changed: every month is built again', async (t) => {
  await write(database, async (tx) => {
    const product = await tx.findOneOrFail(Product, scheme.productId.P1);
    product.code = unique('IP');
  });
  await agree(t, ['202611 build', '202610 build'], 'the strata name products by code');
});

t.test('a new village: every month is built again', async (t) => {
  await write(database, async (tx) => {
    const ward = await tx.findOneOrFail(Location, scheme.place.W2);
    const village = tx.create(Location, {
      code: unique('ICV'),
      name: 'New village',
      type: 'V',
      parent: ward,
    } as Location);
    const family = await tx.findOneOrFail(Family, { head: scheme.person.c1! });
    family.village = village;
  });
  await agree(t, ['202611 build', '202610 build'], 'the tree changed');
});

t.test('a village alone is computed from the registers: no cell holds it alone', async (t) => {
  await write(database, async (tx) => {
    const product = await tx.findOneOrFail(Product, scheme.productId.P2);
    product.code = unique('IP');
  });
  steps.length = 0;
  const before = { ...fromCells.paths };
  const query = {
    indicators: Indicators,
    period: parsePeriod('202611'),
    orgUnits: [found.get(scheme.place.V1a)!],
  };
  const village = await fromCells.compute(query);
  t.same(fromCells.paths, { cells: before.cells, registers: before.registers + 1 });
  t.same(
    steps.filter((s) => s.startsWith('build')),
    [],
    'nothing built for it, though the product code changed',
  );
  t.same(village, await fromRegisters.compute(query));
});

t.test('a month outside the cells’ window is computed from the registers', async (t) => {
  const before = { ...fromCells.paths };
  await valuesOf(fromCells, '202406');
  await valuesOf(fromCells, '2026Q4');
  t.same(fromCells.paths, { cells: before.cells, registers: before.registers + 2 });
});
