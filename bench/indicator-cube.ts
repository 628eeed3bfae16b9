/**
 * node bench/indicator-cube.ts [--insurees 1000000] [--period 202610]: times the indicator cube
 * (issue 7: a month of every indicator for every ward and facility ≤ 2 s cold, ≤ 200 ms when
 * unchanged). Its database, kinga_cube_<insurees>, is filled once by SQL (not the training seed,
 * which has no claims): the seed's tree shape, four-member families, a year of policies and
 * renewals with premiums and member cover, and one claim per insuree over the year with three
 * lines each, in every status.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Indicators } from '../src/domain/indicator/catalogue.ts';
import { parsePeriod } from '../src/domain/indicator/periods.ts';
import { migrateUp, openOrm } from '../src/platform/database/orm.ts';
import { poolQueryable } from '../src/platform/database/queryable.ts';
import { orgUnitsAtLevels } from '../src/integrations/dhis2/cube/org-units.ts';
import { ageBoundsFrom } from '../src/domain/indicator/catalogue.ts';
import { SqlIndicatorCube } from '../src/integrations/dhis2/cube/sql-cube.ts';
import { treeShape } from '../src/seed/shape.ts';

const { values } = parseArgs({
  options: {
    insurees: { type: 'string', default: '1000000' },
    period: { type: 'string', default: '202610' },
    repeat: { type: 'string', default: '5' },
  },
});
const insurees = Number(values.insurees);
const serverUrl = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `kinga_cube_${insurees}`;
const url = new URL(serverUrl);
url.pathname = `/${database}`;

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
const exists = (await admin.query('select 1 from pg_database where datname = $1', [database])).rowCount! > 0;
if (!exists) {
  await admin.query(`create database ${database} template template0 encoding 'UTF8'`);
}
await admin.end();

const orm = await openOrm({ url: url.toString(), poolSize: 8 });
await migrateUp(orm);
const pool: pg.Pool = await orm.em.getConnection().getNativeClient();
const { rows: held } = await pool.query<{ n: number }>('select count(*)::int as n from insuree');
if (held[0]!.n === 0) {
  const started = performance.now();
  await generate(pool, insurees);
  console.error(`generated ${insurees} insurees in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
const { rows: sizes } = await pool.query(
  `select (select count(*) from insuree) insurees, (select count(*) from policy) policies,
          (select count(*) from claim) claims, (select count(*) from claim_line) lines`,
);
console.error(sizes[0]);

const db = poolQueryable(pool);
const orgUnits = await orgUnitsAtLevels(db, ['W', 'HF']);
const period = parsePeriod(values.period);
const options = {
  pool,
  timeZone: 'UTC',
  ageBounds: ageBoundsFrom('6,13,19,26,36,56,76'),
  suppressBelow: 0,
  trace: (step: string, ms: number) => console.log(`    ${step}: ${ms.toFixed(0)} ms`),
};
const query = { indicators: Indicators, period, orgUnits };

const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
};
const coldAndUnchanged = async (label: string, cubeOptions: typeof options & { cells?: boolean }) => {
  const cube = new SqlIndicatorCube(cubeOptions);
  const [observations, cold] = await time(() => cube.compute(query));
  console.log(
    `${label}: ${cold.toFixed(0)} ms, ${observations.length} observations, ${orgUnits.length} org units`,
  );
  const warm: number[] = [];
  for (let i = 0; i < Number(values.repeat); i++) {
    warm.push((await time(() => cube.compute(query)))[1]);
  }
  console.log(`unchanged: ${warm.map((ms) => ms.toFixed(1)).join(', ')} ms (hits ${cube.stats.hits})`);
};

// The month's cells are built once (the refresh job does it ahead of the requests); every later
// request of the month reads them, after taking in what was written since.
await pool.query('delete from indicator_month where month = $1::date', [period.start]);
const [, built] = await time(async () => new SqlIndicatorCube(options).prepare(period));
console.log(`month's cells built: ${built.toFixed(0)} ms`);
await coldAndUnchanged('cold #1 (from cells)', options);
await coldAndUnchanged('cold #2 (from cells)', options);
for (const claims of [300, 3000]) {
  await addClaims(pool, period, claims);
  await coldAndUnchanged(`cold after ${claims} new claims`, options);
}
await coldAndUnchanged('from the registers (cells off)', { ...options, cells: false });
for (const indicator of Indicators) {
  const cube = new SqlIndicatorCube(options);
  const [, ms] = await time(() => cube.compute({ ...query, indicators: [indicator] }));
  console.log(`  ${indicator.code.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms`);
}
await orm.close();

/**
 * `n` claims entered now for treatments in the period, each a copy of a claim treated then (at its
 * facility, for its patient) with its lines: ten minutes of Nepal's claims (300), or two hours (3 000).
 */
async function addClaims(pool: pg.Pool, period: { start: string; end: string }, n: number): Promise<void> {
  const columns = async (table: string) =>
    (
      await pool.query<{ name: string }>(
        `select column_name as name from information_schema.columns
          where table_schema = 'public' and table_name = $1 order by ordinal_position`,
        [table],
      )
    ).rows.map((r) => r.name);
  const claimColumns = await columns('claim');
  const lineColumns = await columns('claim_line');
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `create temp table copied on commit drop as
         select gen_random_uuid() as new_id, c.* from claim c
          where coalesce(c.date_to, c.date_from) between $1 and $2 order by random() limit $3`,
      [period.start, period.end, n],
    );
    const claimValues = claimColumns.map((c) =>
      c === 'id'
        ? 'new_id'
        : c === 'code'
          ? "'B' || left(new_id::text, 8)"
          : c === 'created_at'
            ? 'now()'
            : c,
    );
    await client.query(
      `insert into claim (${claimColumns.join(', ')}) select ${claimValues.join(', ')} from copied`,
    );
    const lineValues = lineColumns.map((c) =>
      c === 'id' ? 'gen_random_uuid()' : c === 'claim_id' ? 'k.new_id' : `l.${c}`,
    );
    await client.query(
      `insert into claim_line (${lineColumns.join(', ')})
       select ${lineValues.join(', ')} from claim_line l join copied k on k.id = l.claim_id`,
    );
    await client.query('commit');
  } finally {
    client.release();
  }
}

/** The synthetic scheme, by SQL in one transaction (ids are md5 of a kind and a number). */
async function generate(pool: pg.Pool, n: number): Promise<void> {
  const shape = treeShape(n);
  const districts = shape.regions * shape.districtsPerRegion;
  const wards = districts * shape.wardsPerDistrict;
  const villages = wards * shape.villagesPerWard;
  const families = Math.ceil(n / 4);
  const facilitiesPerDistrict = 16;
  const client = await pool.connect();
  const step = async (label: string, text: string, params: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(text, params);
    console.error(
      `  ${label}: ${result.rowCount ?? ''} rows, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  };
  try {
    await client.query('begin');
    await client.query('select setseed(0.42)');
    const t0 = `'2025-01-01T00:00:00Z'::timestamptz`;
    await step(
      'locations',
      `insert into location (id, created_at, updated_at, code, name, type, parent_id)
       select md5('R' || r)::uuid, ${t0}, ${t0}, 'R' || r, 'Region ' || r, 'R', null from generate_series(1, $1) r
       union all
       select md5('D' || d)::uuid, ${t0}, ${t0}, 'D' || d, 'District ' || d, 'D', md5('R' || ((d - 1) / $2 + 1))::uuid
         from generate_series(1, $3) d
       union all
       select md5('W' || w)::uuid, ${t0}, ${t0}, 'W' || w, 'Ward ' || w, 'W', md5('D' || ((w - 1) / $4 + 1))::uuid
         from generate_series(1, $5) w
       union all
       select md5('V' || v)::uuid, ${t0}, ${t0}, 'V' || v, 'Village ' || v, 'V', md5('W' || ((v - 1) / $6 + 1))::uuid
         from generate_series(1, $7) v`,
      [
        shape.regions,
        shape.districtsPerRegion,
        districts,
        shape.wardsPerDistrict,
        wards,
        shape.villagesPerWard,
        villages,
      ],
    );
    await step(
      'facilities',
      `insert into organisation (id, created_at, updated_at, kind, code, name, level, care_type, legal_form, location_id)
       select md5('H' || k)::uuid, ${t0}, ${t0}, 'health-facility', 'HF' || k, 'Facility ' || k,
              case when k % $1 = 0 then 'H' when k % $1 < 6 then 'C' else 'D' end, 'B', 'G',
              md5('D' || ((k - 1) / $1 + 1))::uuid
         from generate_series(1, $2) k`,
      [facilitiesPerDistrict, districts * facilitiesPerDistrict],
    );
    await step(
      'products and diagnoses',
      `with p as (insert into product (id, created_at, updated_at, code, name, date_from, date_to)
                  values (md5('PA')::uuid, ${t0}, ${t0}, 'PA', 'Product A', '2000-01-01', '2099-12-31'),
                         (md5('PB')::uuid, ${t0}, ${t0}, 'PB', 'Product B', '2000-01-01', '2099-12-31') returning 1)
       insert into diagnosis (id, created_at, updated_at, code, name)
       select md5('X' || k)::uuid, ${t0}, ${t0}, 'X' || lpad(k::text, 3, '0'), 'Diagnosis ' || k from generate_series(1, 500) k`,
    );
    // Ids as the application makes them (UUIDv7: creation time first), so that records written
    // together sit together in the indexes, as they do in a real database.
    const v7 = (at: string, seed: string) =>
      `(lpad(to_hex((extract(epoch from ${at}) * 1000)::bigint), 12, '0') || '7' || substr(md5(${seed}), 1, 19))::uuid`;
    await step(
      'family numbers',
      `create temp table gen_family on commit drop as
       select x.f, x.at, ${v7('x.at', `'F' || x.f`)} as id, ${v7('x.at', `'I' || ((x.f - 1) * 4 + 1)`)} as head_id,
              md5('V' || ((x.f - 1) % $1 + 1))::uuid as village_id
         from (select f, ${t0} + (random() * 600) * interval '1 day' as at from generate_series(1, $2) f) x`,
      [villages, families],
    );
    await step(
      'families',
      `insert into family (id, created_at, updated_at, village_id, head_id)
       select id, at, at, village_id, head_id from gen_family order by at`,
    );
    await step(
      'insurees',
      `insert into insuree (id, created_at, updated_at, insurance_number, last_name, other_names, birth_date, gender,
                            family_id, is_head, village_id)
       select ${v7('f.at', `'I' || i`)}, f.at, f.at, lpad(i::text, 10, '0'), 'Name', 'Member',
              case when (i - 1) % 4 = 0 then date '1950-01-01' + (random() * 18000)::int
                   when random() < 0.01 then null else date '1946-01-01' + (random() * 29000)::int end,
              case when random() < 0.02 then null when random() < 0.5 then 'M' else 'F' end,
              f.id, (i - 1) % 4 = 0, f.village_id
         from generate_series(1, $1) i join gen_family f on f.f = (i - 1) / 4 + 1
        order by f.at, i`,
      [n],
    );
    await step(
      'policies',
      `insert into policy (id, created_at, updated_at, family_id, product_id, stage, status, value, enrol_date,
                           start_date, effective_date, expiry_date)
       select ${v7('x.d::timestamptz', `'P' || x.id`)}, x.d, x.d, x.id,
              md5(case when random() < 0.7 then 'PA' else 'PB' end)::uuid, 'N', 'active', 40000.00, x.d, x.d,
              case when random() < 0.85 then x.d end, x.d + interval '1 year' - interval '1 day'
         from (select id, date '2025-01-01' + (random() * 600)::int as d from gen_family where random() < 0.85) x
        order by x.d`,
    );
    await step(
      'renewals',
      `insert into policy (id, created_at, updated_at, family_id, product_id, stage, status, value, enrol_date,
                           start_date, effective_date, expiry_date, previous_id)
       select ${v7('x.enrol::timestamptz', `'Q' || x.id`)}, x.enrol, x.enrol, x.family_id, x.product_id, 'R', 'active',
              36000.00, x.enrol, x.expiry_date + 1, case when random() < 0.9 then x.expiry_date + 1 end,
              x.expiry_date + interval '1 year', x.id
         from (select p.*, p.expiry_date - (random() * 20)::int as enrol from policy p
                where p.expiry_date < date '2026-11-24' and random() < 0.6) x
        order by x.enrol`,
    );
    await step(
      'member cover',
      `insert into insuree_policy (id, created_at, updated_at, insuree_id, policy_id, enrol_date, start_date,
                                   effective_date, expiry_date, cover_threshold)
       select ${v7('p.created_at', `'C' || p.id || i.id`)}, p.created_at, p.created_at, i.id, p.id, p.enrol_date,
              p.start_date, p.effective_date, p.expiry_date, p.value
         from policy p join insuree i on i.family_id = p.family_id
        order by p.created_at`,
    );
    await step(
      'premiums',
      `insert into premium (id, created_at, updated_at, policy_id, product_id, kind, amount, receipt, pay_date, pay_type)
       select ${v7('x.day::timestamptz', `'M' || x.id`)}, x.day, x.day, x.id, x.product_id, 'payment', x.amount,
              'R-' || x.id, x.day, 'C'
         from (select p.id, p.product_id, coalesce(p.effective_date, p.enrol_date + 3) as day,
                      case when p.effective_date is not null then p.value else 10000.00 end as amount
                 from policy p where p.effective_date is not null or random() < 0.3) x
        order by x.day`,
    );
    await step(
      'claims',
      `insert into claim (id, created_at, updated_at, code, facility_id, insuree_id, visit_type, date_from, date_to,
                          date_claimed, main_diagnosis_id, other_diagnoses, status, care_setting, claimed,
                          client_identifiers, fingerprint, review_reasons, valuated_at)
       select ${v7(`(x.day + interval '10 hours')`, `'K' || x.k`)}, x.day + interval '10 hours',
              x.day + interval '10 hours', 'K' || x.k,
              md5('H' || (1 + (random() * ($2 - 1))::int))::uuid, i.id,
              case when random() < 0.8 then 'other' when random() < 0.75 then 'referral' else 'emergency' end,
              x.day - x.stay, x.day, x.day, md5('X' || (1 + (random() * 499)::int))::uuid, '[]', x.status, 'O', 0,
              '[]', md5('K' || x.k), '[]',
              case when x.status = 'valuated' then x.day + (random() * 20)::int * interval '1 day' + interval '12 hours' end
         from (select k, date '2025-12-01' + (random() * 364)::int as day, lpad((1 + (random() * ($1 - 1))::int)::text, 10, '0') as number,
                      case when random() < 0.9 then 0 else (random() * 5)::int end as stay,
                      case when r < 0.80 then 'valuated' when r < 0.85 then 'processed' when r < 0.90 then 'checked'
                           when r < 0.93 then 'entered' else 'rejected' end as status
                 from (select k, random() as r from generate_series(1, $1) k) s) x
         join insuree i on i.insurance_number = x.number and i.deleted_at is null
        order by x.day, x.k`,
      [n, districts * facilitiesPerDistrict],
    );
    await step(
      'claim lines',
      `insert into claim_line (id, claim_id, sequence, kind, code, quantity, price_asked, status, rejection_reason,
                               quantity_approved, product_id, submitted, benefit)
       select ${v7('c.created_at', `'L' || c.id || s`)}, c.id, s, case when s = 1 then 'service' else 'item' end,
              case when s = 1 then 'S' || (1 + (random() * 99)::int) else 'I' || (1 + (random() * 299)::int) end,
              q, 1500.00, case when rej then 'rejected' else 'passed' end,
              case when rej then 1 + (random() * 14)::int else 0 end,
              case when rej or c.status = 'entered' then null else q end,
              case when rej or c.status = 'entered' then null else md5('PA')::uuid end,
              q * 1500.00, case when rej or c.status = 'entered' then 0 else q * 1500.00 end
         from (select * from claim order by created_at, id) c cross join generate_series(1, 3) s
         cross join lateral (select 1 + (random() * 2)::int as q,
                                    c.status = 'rejected' or random() < 0.08 as rej) l
        order by c.created_at, c.id, s`,
    );
    await client.query('commit');
    await client.query('vacuum analyze');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
