import t from 'tap';
import { Indicators, indicatorNamed, type CategoryCode } from '../../src/domain/indicator/catalogue.ts';
import type { Observation, OrgUnit } from '../../src/domain/indicator/cube.ts';
import { parsePeriod } from '../../src/domain/indicator/periods.ts';
import { poolQueryable } from '../../src/platform/database/queryable.ts';
import { sql } from '../../src/platform/database/sql.ts';
import {
  childrenOf,
  findOrgUnits,
  orgUnitsAtLevels,
  resolveOrgUnit,
} from '../../src/integrations/dhis2/cube/org-units.ts';
import { ageBoundsFrom } from '../../src/domain/indicator/catalogue.ts';
import { SqlIndicatorCube } from '../../src/integrations/dhis2/cube/sql-cube.ts';
import { testConfig } from '../helpers/test-app.ts';
import { openTestDatabase } from '../policy/scheme-fixtures.ts';
import { oracle, type UnitKey } from './cube-oracle.ts';
import {
  writeClaimLike,
  writeScheme,
  type FacilityKey,
  type PlaceKey,
  type WrittenScheme,
} from './cube-scheme.ts';

const bounds = ageBoundsFrom(testConfig().INDICATOR_AGE_BOUNDS);
const UNITS: UnitKey[] = ['R', 'D', 'W1', 'W2', 'V1a', 'H1', 'H2'];
const PERIODS = ['202611', '2026Q4', '2026W47', '202610'];

/** Observations as `${indicator}|${orgUnit}|${options}` → value (withheld: `withheld`). */
function valuesOf(observations: readonly Observation[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const o of observations) {
    const categories = indicatorNamed(o.indicator)!.categories;
    const options =
      Object.keys(o.strata).length === 0 ? '' : categories.map((c: CategoryCode) => o.strata[c]).join('/');
    const key = `${o.indicator}|${o.orgUnit}|${options}`;
    if (values.has(key)) {
      throw new Error(`${key} observed twice`);
    }
    values.set(key, o.withheld ? 'withheld' : o.value!);
  }
  return values;
}

const sorted = (values: Map<string, string>) => [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

t.test('the indicator cube over a small scheme', async (t) => {
  const database = await openTestDatabase(t);
  const db = poolQueryable(database.pool);
  const scheme: WrittenScheme = await writeScheme(database);
  const orgUnitOf = (unit: UnitKey): string =>
    unit in scheme.place ? scheme.place[unit as PlaceKey] : scheme.facility[unit as FacilityKey];
  const found = await findOrgUnits(db, UNITS.map(orgUnitOf), 'id');
  const orgUnits: OrgUnit[] = UNITS.map((u) => found.get(orgUnitOf(u))!);

  // A population DHIS2 pushed for ward W1.
  await db.query(sql`insert into indicator_denominator
      (org_unit_id, data_element, period, org_unit_kind, start_date, end_date, value, updated_at)
    values (${scheme.place.W1}, 'POPULATION', '2026', 'location', '2026-01-01', '2026-12-31', 2000, now())`);
  const populations = new Map<UnitKey, number>([['W1', 2000]]);

  t.test('org units: the tree, by id, by code, by level and children', async (t) => {
    t.match(orgUnits[0], { kind: 'location', level: 'R', parentId: null, dhis2Uid: null, dhis2Code: null });
    t.match(found.get(scheme.place.W1), { kind: 'location', level: 'W', parentId: scheme.place.D });
    t.match(found.get(scheme.facility.H1), { kind: 'facility', level: 'HF', parentId: scheme.place.D });
    t.equal((await resolveOrgUnit(db, scheme.placeCode.W2))?.id, scheme.place.W2, 'by location code');
    t.equal((await resolveOrgUnit(db, scheme.facilityCode.H2))?.id, scheme.facility.H2, 'by facility code');
    t.equal((await resolveOrgUnit(db, scheme.place.V1a))?.id, scheme.place.V1a, 'by id');
    t.equal(await resolveOrgUnit(db, 'no-such-unit'), null);
    const children = await childrenOf(db, [found.get(scheme.place.D)!]);
    t.same(
      children.map((c) => c.id).sort(),
      [scheme.place.W1, scheme.place.W2, scheme.facility.H1, scheme.facility.H2].sort(),
      "a district's children: its wards and its facilities",
    );
    const wards = await orgUnitsAtLevels(db, ['W']);
    t.ok(wards.some((w) => w.id === scheme.place.W1) && wards.every((w) => w.level === 'W'));
  });

  const cube = new SqlIndicatorCube({
    pool: database.pool,
    timeZone: 'UTC',
    ageBounds: bounds,
    suppressBelow: 0,
  });

  const seen = new Set<string>();
  for (const code of PERIODS) {
    t.test(`every indicator for ${code}, per org unit and stratum, as computed in JS`, async (t) => {
      const period = parsePeriod(code);
      const observations = await cube.compute({ indicators: Indicators, period, orgUnits });
      t.ok(observations.every((o) => o.period === code));
      const actual = valuesOf(observations);
      const expected = oracle(scheme, period, UNITS, { bounds, populations }).values;
      for (const indicator of Indicators) {
        const only = (values: Map<string, string>) =>
          sorted(new Map([...values].filter(([key]) => key.startsWith(`${indicator.code}|`))));
        t.same(only(actual), only(expected), indicator.code);
      }
      t.ok(expected.size > 40, `${expected.size} values compared`);
      for (const [key, value] of expected) {
        if (!/^0(\.00)?$/.test(value)) {
          seen.add(key.split('|')[0]!);
        }
      }
    });
  }

  t.test('the scheme gives every indicator something to compare', async (t) => {
    t.same(
      Indicators.map((i) => i.code).filter((code) => !seen.has(code)),
      [],
      'each indicator has a value other than zero in some period',
    );
  });

  t.test('what the periods show (spot checks of the oracle too)', async (t) => {
    const month = valuesOf(
      await cube.compute({ indicators: Indicators, period: parsePeriod('202611'), orgUnits }),
    );
    const { H1, D, W1, W2 } = {
      H1: scheme.facility.H1,
      D: scheme.place.D,
      W1: scheme.place.W1,
      W2: scheme.place.W2,
    };
    t.equal(
      month.get(`NB_CLAIM|${H1}|`),
      '2',
      'H1 treated two claims in November (the October one is not in it)',
    );
    t.equal(month.get(`NB_CLAIM|${D}|`), '5', 'the district holds both facilities');
    t.equal(
      month.get(`NB_CLAIM|${H1}|NONE/REJECTED/EMERGENCY/O/P26Y-P35Y`),
      '1',
      'a rejected claim without a product is NONE; unknown sex is O',
    );
    t.equal(month.get(`REJECTION_RATE|${H1}|`), '60.00', '3 of 5 lines rejected');
    t.equal(month.get(`REJECTION_RATE|${H1}|2`), '20.00', 'reason 2: 1 of 5 lines');
    t.equal(
      month.get(`CLAIMS_RECEIVED|${W1}|`),
      '0',
      'zero is significant: a ward without facilities reports 0',
    );
    t.notOk(month.has(`NB_CLAIM|${W1}|`), 'not significant: no zero');
    t.equal(month.get(`PREMIUM_DUE|${H1}|`), '0.00', 'money zero has two decimals');
    t.equal(month.get(`SUM_CONTRIBUTIONS|${W2}|`), '0.00', 'a payment and its reversal net to zero');
    t.equal(month.get(`RENEWAL_RATE|${W1}|`), '0.00', 'F5 expired in November, not renewed');
    const quarter = valuesOf(
      await cube.compute({ indicators: Indicators, period: parsePeriod('2026Q4'), orgUnits }),
    );
    t.equal(quarter.get(`DAYS_TO_VALUATION|${H1}|`), '4.50', '(2 + 7) / 2 days');
    t.equal(quarter.get(`RENEWAL_RATE|${W1}|`), '33.33', "F2's renewed; F5's and F1's second not");
  });

  t.test('small cells are withheld, zeros and money are not', async (t) => {
    const suppressing = new SqlIndicatorCube({
      pool: database.pool,
      timeZone: 'UTC',
      ageBounds: bounds,
      suppressBelow: 3,
    });
    const period = parsePeriod('202611');
    const observations = await suppressing.compute({ indicators: Indicators, period, orgUnits });
    const plain = valuesOf(await cube.compute({ indicators: Indicators, period, orgUnits }));
    let withheld = 0;
    const wrong: string[] = [];
    for (const o of observations) {
      const indicator = indicatorNamed(o.indicator)!;
      const options =
        Object.keys(o.strata).length === 0 ? '' : indicator.categories.map((c) => o.strata[c]).join('/');
      const value = plain.get(`${o.indicator}|${o.orgUnit}|${options}`)!;
      const small = indicator.unit === 'count' && (value === '1' || value === '2');
      withheld += small ? 1 : 0;
      if (small ? o.value !== null || o.withheld !== true : o.value !== value || o.withheld !== undefined) {
        wrong.push(`${o.indicator} ${options} ${value}: ${o.value} ${o.withheld}`);
      }
    }
    t.same(wrong, [], 'counts of 1 and 2 withheld; zeros, larger counts, money and rates kept');
    t.equal(observations.length, plain.size, 'a withheld cell is still there');
    t.ok(withheld > 10, `${withheld} cells withheld`);
  });

  t.test('only what is asked: one indicator, one org unit', async (t) => {
    const observations = await cube.compute({
      indicators: [indicatorNamed('ACTIVE_POLICIES')!],
      period: parsePeriod('202611'),
      orgUnits: [found.get(scheme.facility.H2)!],
    });
    t.same(observations, [
      { indicator: 'ACTIVE_POLICIES', period: '202611', orgUnit: scheme.facility.H2, strata: {}, value: '0' },
    ]);
  });

  t.test('the cache: the same answer while nothing changes, a new one after a new claim', async (t) => {
    const cached = new SqlIndicatorCube({
      pool: database.pool,
      timeZone: 'UTC',
      ageBounds: bounds,
      suppressBelow: 0,
    });
    const query = { indicators: Indicators, period: parsePeriod('202611'), orgUnits };
    const before = await cached.dataVersion();
    const first = await cached.compute(query);
    const second = await cached.compute(query);
    t.same(second, first, 'the same observations');
    // Other test files write to the same database meanwhile: a hit is only certain when nothing did.
    if ((await cached.dataVersion()) === before) {
      t.same(cached.stats, { hits: 1, misses: 1 }, 'answered from the cache');
    }
    await writeClaimLike(database, scheme, {
      like: 'C1',
      key: 'C7',
      created: '2026-11-23T10:00:00Z',
      facility: 'H1',
      person: 'a1',
      diagnosis: 'D1',
    });
    const third = valuesOf(await cached.compute(query));
    t.equal(third.get(`NB_CLAIM|${scheme.facility.H1}|`), '3', 'the new claim is counted');
    t.equal(cached.stats.misses >= 2, true, 'computed again');
  });
});
