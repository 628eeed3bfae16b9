import { randomBytes } from 'node:crypto';
import pg from 'pg';
import t, { type Test } from 'tap';
import { insuranceNumberProblem } from '../src/domain/insuree/insurance-number.ts';
import { insuranceNumberRules } from '../src/fhir/patient/patient.module.ts';
import { migrateUp, openOrm } from '../src/platform/database/orm.ts';
import { REFERENCE_DATE } from '../src/seed/families.ts';
import { seedTrainingData, type SeedSummary } from '../src/seed/seed-training-data.ts';
import { buildTestApp, validFhir, type TestApp } from './helpers/test-app.ts';

const INSUREES = 300;
const SEED = 20251;
// Numbers with a modulo-7 check digit and a fixed length, so the rules have something to check.
const NUMBER_RULES = { INSURANCE_NUMBER_CHECK_DIGIT: 'modulo', INSURANCE_NUMBER_LENGTH: '9' };

/**
 * A database of its own: the counts below are exact, which they could not be in the run's shared
 * database while other test files write patients into it.
 */
async function freshDatabase(t: Test): Promise<string> {
  const server = process.env['KINGA_TEST_SERVER_URL'];
  if (!server) {
    throw new Error('Run the tests with `npm test` (KINGA_TEST_SERVER_URL)');
  }
  const name = `kinga_seed_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name} template template0 encoding 'UTF8'`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const orm = await openOrm({ url: url.toString(), poolSize: 1 });
  await migrateUp(orm);
  await orm.close();
  t.teardown(async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return url.toString();
}

async function seededApp(t: Test): Promise<{ kinga: TestApp; summary: SeedSummary }> {
  const kinga = await buildTestApp(t, { DATABASE_URL: await freshDatabase(t), ...NUMBER_RULES });
  const summary = await seedTrainingData(kinga.database.orm, kinga.config, {
    insurees: INSUREES,
    seed: SEED,
  });
  return { kinga, summary };
}

async function count(t: Test, kinga: TestApp, type: string): Promise<number> {
  const response = await kinga.fhir({ method: 'GET', url: `/fhir/R4/${type}?_summary=count` });
  t.equal(response.status, 200, `${type} count answers`);
  return validFhir(t, response).total as number;
}

const { kinga, summary } = await seededApp(t);
const sql = async <R extends pg.QueryResultRow>(text: string): Promise<R[]> =>
  (await kinga.database.pool.query<R>(text)).rows;

t.test('the API counts what was seeded', async (t) => {
  t.equal(summary.insurees, INSUREES);
  t.equal(await count(t, kinga, 'Patient'), INSUREES);
  t.equal(await count(t, kinga, 'Group'), summary.families);
  t.equal(await count(t, kinga, 'Location'), summary.locations);
  t.equal(await count(t, kinga, 'Organization'), summary.facilities);
  const types = await sql<{ type: string; n: number }>(
    `select type, count(*)::int as n from location group by type order by type`,
  );
  t.same(
    types.map((r) => r.type),
    ['D', 'R', 'V', 'W'],
    'regions, districts, wards and villages',
  );
  const levels = await sql<{ level: string }>(
    `select distinct level from organisation where kind = 'health-facility' order by level`,
  );
  t.same(
    levels.map((r) => r.level),
    ['C', 'D', 'H'],
    'dispensaries, health centres and hospitals',
  );
  t.equal((await sql(`select 1 from organisation where kind = 'insurer'`)).length, 1, 'one insurer');
});

t.test('a seeded patient reads back as valid FHIR', async (t) => {
  const [head] = await sql<{ id: string; insurance_number: string }>(
    `select id, insurance_number from insuree where is_head order by id limit 1`,
  );
  const response = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${head!.id}` });
  t.equal(response.status, 200);
  const patient = validFhir(t, response);
  t.equal(patient.identifier[0].value, head!.insurance_number);
  t.match(patient.generalPractitioner[0].reference, /^Organization\//);
  const byNumber = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient?identifier=${head!.insurance_number}`,
  });
  t.equal(validFhir(t, byNumber).total, 1, 'found by its insurance number');
});

// The family ⇄ insuree references are deferred foreign keys, so MikroORM writes both in one go:
// each record is published once, not inserted half-empty and then updated into a version 2.
t.test('every seeded record is published once, as version 1', async (t) => {
  const versions = await sql<{ resource_type: string; version_id: number }>(
    `select distinct resource_type, version_id from fhir_resource_version order by 1, 2`,
  );
  t.same(
    versions.map((v) => `${v.resource_type}/${v.version_id}`),
    ['Group/1', 'Location/1', 'Organization/1', 'Patient/1'],
  );
});

t.test('every family has exactly one head, who is an adult member', async (t) => {
  const families = await sql<{ heads: number; head_is_member: boolean; head_age: number }>(
    `select count(*) filter (where i.is_head)::int as heads,
            bool_or(i.id = f.head_id and i.is_head) as head_is_member,
            max(date_part('year', age(to_timestamp(${REFERENCE_DATE / 1000}), h.birth_date)))::int as head_age
       from family f join insuree i on i.family_id = f.id join insuree h on h.id = f.head_id
      group by f.id`,
  );
  t.equal(families.length, summary.families);
  t.ok(
    families.every((f) => f.heads === 1 && f.head_is_member),
    'one head per family, and it is the family head',
  );
  t.ok(
    families.every((f) => f.head_age >= 18),
    'heads are adults',
  );
  const sizes = await sql<{ size: number }>(`select count(*)::int as size from insuree group by family_id`);
  t.ok(
    sizes.every((s) => s.size >= 1 && s.size <= 8),
    'families of 1 to 8',
  );
  const children = await sql(
    `select 1 from insuree where birth_date > to_timestamp(${REFERENCE_DATE / 1000}) - interval '18 years'`,
  );
  t.ok(children.length > 0, 'children as well as adults');
  const [group] = await sql<{ id: string }>(`select id from family order by id limit 1`);
  const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Group/${group!.id}` });
  t.equal(read.status, 200);
  validFhir(t, read);
});

t.test('insurees live in villages and first go to a facility of their district', async (t) => {
  const [mismatch] = await sql<{ n: number }>(
    `select count(*)::int as n
       from insuree i
       join location v on v.id = i.village_id and v.type = 'V'
       join location w on w.id = v.parent_id
       join organisation o on o.id = i.first_service_point_id
      where o.location_id <> w.parent_id or o.kind <> 'health-facility'`,
  );
  t.equal(mismatch!.n, 0);
  const [placed] = await sql<{ n: number }>(
    `select count(*)::int as n from insuree where village_id is not null and first_service_point_id is not null`,
  );
  t.equal(placed!.n, INSUREES);
});

t.test('every insurance number passes the configured check-digit rules', async (t) => {
  const rules = insuranceNumberRules(kinga.config);
  t.equal(rules.checkDigit, 'modulo');
  const numbers = await sql<{ insurance_number: string }>(`select insurance_number from insuree`);
  t.equal(numbers.length, INSUREES);
  const invalid = numbers.filter((n) => insuranceNumberProblem(n.insurance_number, rules) !== undefined);
  t.same(invalid, []);
});

t.test('seeding a seeded database is refused and changes nothing', async (t) => {
  await t.rejects(seedTrainingData(kinga.database.orm, kinga.config, { insurees: INSUREES, seed: SEED }), {
    name: 'AlreadySeededError',
    message: /already holds the training data set \(300 insurees\)/,
  });
  t.equal(await count(t, kinga, 'Patient'), INSUREES);
});

t.test('the same seed draws the same data set', async (t) => {
  const again = await seededApp(t);
  const published = async (app: TestApp) =>
    (
      await app.database.pool.query<{ content: string }>(
        `select content from fhir_resource order by resource_type, id`,
      )
    ).rows.map((r) => {
      const { meta, ...rest } = JSON.parse(r.content) as { meta: { lastUpdated?: string } };
      delete meta.lastUpdated;
      return { ...rest, meta };
    });
  t.same(again.summary, summary);
  t.same(await published(again.kinga), await published(kinga), 'same resources, ids included');
});
