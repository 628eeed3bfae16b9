import type pg from 'pg';
import t, { type Test } from 'tap';
import { insuranceNumberProblem } from '../src/domain/insuree/insurance-number.ts';
import { insuranceNumberRules } from '../src/fhir/patient/patient.module.ts';
import { REFERENCE_DATE } from '../src/seed/families.ts';
import {
  priceListsByLevel,
  trainingDiagnoses,
  trainingItems,
  trainingServices,
} from '../src/seed/medical-catalogue.ts';
import { seedTrainingData, type SeedSummary } from '../src/seed/seed-training-data.ts';
import { buildTestApp, validFhir, type TestApp } from './helpers/test-app.ts';
import { freshDatabase } from './helpers/test-database.ts';

const INSUREES = 300;
const SEED = 20251;
/** Policies are dated back from this day, so that the same seed draws the same statuses on any day. */
const TODAY = '2026-06-15';
// Numbers with a modulo-7 check digit and a fixed length, so the rules have something to check.
const NUMBER_RULES = { INSURANCE_NUMBER_CHECK_DIGIT: 'modulo', INSURANCE_NUMBER_LENGTH: '9' };

async function seededApp(t: Test): Promise<{ kinga: TestApp; summary: SeedSummary }> {
  const kinga = await buildTestApp(t, {
    DATABASE_URL: await freshDatabase(t, 'kinga_seed_test'),
    ...NUMBER_RULES,
  });
  const summary = await seedTrainingData(kinga.database.orm, kinga.config, {
    insurees: INSUREES,
    seed: SEED,
    today: TODAY,
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
    `select distinct resource_type, version_id from fhir_resource order by 1, 2`,
  );
  const replaced = await sql<{ n: number }>(`select count(*)::int as n from fhir_resource_version`);
  t.equal(replaced[0]!.n, 0, 'no version was replaced');
  t.same(
    versions.map((v) => `${v.resource_type}/${v.version_id}`),
    [
      'ActivityDefinition/1',
      'CodeSystem/1',
      'Contract/1',
      'Coverage/1',
      'Group/1',
      'InsurancePlan/1',
      'List/1',
      'Location/1',
      // The indicator catalogue, published when the app starts.
      'Measure/1',
      'Medication/1',
      'Organization/1',
      'Patient/1',
      'PaymentNotice/1',
      'Practitioner/1',
      'PractitionerRole/1',
      'ValueSet/1',
    ],
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

/** Every resource of a search, from a single page (the seeded counts stay under the page limit). */
async function searchAll(t: Test, type: string, query = ''): Promise<any[]> {
  const response = await kinga.fhir({ method: 'GET', url: `/fhir/R4/${type}?_count=500${query}` });
  t.equal(response.status, 200, `${type} search answers`);
  const bundle = validFhir(t, response);
  const resources = (bundle.entry ?? []).map((e: { resource: unknown }) => e.resource);
  t.equal(resources.length, bundle.total, `all ${type} on one page`);
  return resources;
}

const extensionOf = (resource: any, suffix: string): any =>
  (resource.extension ?? []).find((e: { url: string }) => e.url.endsWith(`/${suffix}`));
const cents = (value: number): number => Math.round(value * 100);

t.test('the medical registers, price lists and products are published', async (t) => {
  t.equal(await count(t, kinga, 'Medication'), trainingItems.length);
  t.equal(await count(t, kinga, 'ActivityDefinition'), trainingServices.length);
  t.equal(await count(t, kinga, 'List'), 6, 'a list of items and one of services per facility level');
  t.equal(await count(t, kinga, 'InsurancePlan'), 2);
  const [codeSystem] = await searchAll(t, 'CodeSystem');
  t.equal(codeSystem.concept.length, trainingDiagnoses.length, 'every diagnosis in the code system');

  const plans = await searchAll(t, 'InsurancePlan');
  t.same(plans.map((p) => p.identifier.find((i: { system?: string }) => i.system)?.value).sort(), [
    'CHF',
    'FHI',
  ]);
  for (const plan of plans) {
    // Beside the plan-wide limits, one coverage per covered item and service.
    const covered = (category: string) =>
      plan.coverage.filter((c: any) => c.type.coding[0].code === category).length;
    t.equal(covered('item'), trainingItems.length, `${plan.name} covers every item`);
    t.equal(covered('service'), trainingServices.length, `${plan.name} covers every service`);
  }

  const lists = new Map((await searchAll(t, 'List')).map((l) => [`List/${l.id}`, l]));
  const facilities = await searchAll(t, 'Organization', '&type=prov');
  t.ok(facilities.length > 0);
  const expected = (level: 'D' | 'C' | 'H', kind: 'items' | 'services') => {
    const codes = priceListsByLevel[level][kind];
    return codes === 'all' ? (kind === 'items' ? trainingItems : trainingServices).length : codes.length;
  };
  for (const facility of facilities) {
    const level = extensionOf(facility, 'organization-hf-level').valueCodeableConcept.coding[0].code;
    for (const kind of ['items', 'services'] as const) {
      const list = lists.get(
        extensionOf(facility, `organization-${kind}-price-list`)?.valueReference.reference,
      );
      t.ok(list, `${facility.identifier[1].value} has its ${kind} list`);
      t.equal(list?.entry.length, expected(level, kind), `${level} ${kind} list lines`);
    }
  }
  const overrules = [...lists.values()].flatMap((l) => l.entry.filter((e: any) => e.extension));
  const expectedOverrules = Object.values(priceListsByLevel).reduce(
    (sum, level) => sum + Object.keys(level.overrules).length,
    0,
  );
  t.equal(overrules.length, expectedOverrules, 'the lines at a price of their own');
});

t.test('an enrolment officer per ward and a claim administrator per facility', async (t) => {
  const [wards] = await sql<{ n: number }>(`select count(*)::int as n from location where type = 'W'`);
  const [facilities] = await sql<{ n: number }>(
    `select count(*)::int as n from organisation where kind = 'health-facility'`,
  );
  t.equal(await count(t, kinga, 'Practitioner'), wards!.n + facilities!.n);
  const roles = await searchAll(t, 'PractitionerRole');
  t.equal(roles.length, wards!.n + facilities!.n);
  const claimAdmins = roles.filter((r) => r.organization);
  t.equal(claimAdmins.length, facilities!.n, 'claim administrators name their facility');
  const officers = roles.filter((r) => !r.organization);
  t.equal(officers.length, wards!.n);
  // The officer's district and its ward's villages.
  const [villages] = await sql<{ n: number }>(`select count(*)::int as n from location where type = 'V'`);
  t.equal(
    officers.reduce((sum, r) => sum + r.location.length - 1, 0),
    villages!.n,
    'every village is served by one officer',
  );
});

t.test('every policy is as its premiums make it', async (t) => {
  const contracts = await searchAll(t, 'Contract');
  const coverages = await searchAll(t, 'Coverage');
  const notices = await searchAll(t, 'PaymentNotice');
  t.equal(contracts.length, summary.policies);
  t.equal(coverages.length, summary.covers);
  t.equal(notices.length, summary.premiums);
  t.ok(summary.policies > 0.7 * summary.families, 'most families hold a policy');

  const paidTo = new Map<string, number>();
  for (const notice of notices) {
    t.equal(notice.status, 'active');
    const key = notice.request.reference;
    paidTo.set(key, (paidTo.get(key) ?? 0) + cents(notice.amount.value));
  }
  const seen = { partial: 0, unpaid: 0, credit: 0, expired: 0, active: 0 };
  for (const contract of contracts) {
    const status = extensionOf(contract, 'policy-status').valueCoding.code;
    const account = Object.fromEntries(
      extensionOf(contract, 'policy-account').extension.map((e: any) => [e.url, cents(e.valueMoney.value)]),
    );
    const paid = paidTo.get(`Contract/${contract.id}`) ?? 0;
    const label = `Contract/${contract.id}`;
    t.equal(account.paid, paid, `${label}: paid is the sum of its premiums`);
    t.equal(account.balance, Math.max(0, account.value - paid), `${label}: balance`);
    t.equal(account.credit, Math.max(0, paid - account.value), `${label}: credit`);
    if (status === 'expired') {
      seen.expired += 1;
      t.ok(contract.applies.end < TODAY, `${label} expired before today`);
      continue;
    }
    t.ok(contract.applies.end >= TODAY, `${label} still runs`);
    t.equal(status === 'active', paid >= account.value, `${label}: active iff paid in full`);
    if (status === 'active') {
      seen.active += 1;
      // Effective from the later of the day payment was complete and the start date.
      const payments = contract.term[0].asset[0].extension
        .map((e: any) => Object.fromEntries(e.extension.map((x: any) => [x.url, x])))
        .map((p: any) => p.date.valueDate)
        .sort();
      const effective = [payments.at(-1), contract.applies.start].sort().at(-1);
      t.equal(contract.term[0].asset[0].usePeriod[0].start, effective, `${label}: effective date`);
    } else {
      t.ok(['idle', 'suspended'].includes(status), `${label}: unpaid policies wait or are suspended`);
    }
    seen.partial += paid > 0 && paid < account.value ? 1 : 0;
    seen.unpaid += paid === 0 ? 1 : 0;
    seen.credit += account.credit > 0 ? 1 : 0;
  }
  t.ok(
    seen.active > 0 && seen.partial > 0 && seen.unpaid > 0 && seen.credit > 0 && seen.expired > 0,
    'every case',
  );

  const covered = new Map(contracts.map((c) => [`Contract/${c.id}`, c]));
  for (const coverage of coverages) {
    const contract = covered.get(coverage.contract[0].reference);
    t.ok(contract, 'a Coverage belongs to a published Contract');
    t.ok(
      contract.term[0].asset[0].typeReference.some(
        (r: any) => r.reference === coverage.beneficiary.reference,
      ),
      'its beneficiary is a member of the policy',
    );
    const active = extensionOf(contract, 'policy-status').valueCoding.code === 'active';
    t.equal(coverage.status === 'active', active, 'a member is covered while the policy is active');
  }
  const duplicates = await sql(
    `select product_id, receipt from premium group by product_id, receipt having count(*) > 1`,
  );
  t.same(duplicates, [], 'receipts are unique per product');
});

t.test('seeding a seeded database is refused and changes nothing', async (t) => {
  await t.rejects(
    seedTrainingData(kinga.database.orm, kinga.config, { insurees: INSUREES, seed: SEED, today: TODAY }),
    {
      name: 'AlreadySeededError',
      message: /already holds the training data set \(300 insurees\)/,
    },
  );
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
      const { meta, ...rest } = JSON.parse(r.content) as {
        meta: { lastUpdated?: string };
        [element: string]: unknown;
      };
      delete meta.lastUpdated;
      // When a record was written (ActivityDefinition.date, PaymentNotice.created) is not drawn.
      for (const element of ['date', 'created']) {
        if (typeof rest[element] === 'string' && rest[element].includes('T')) {
          delete rest[element];
        }
      }
      return { ...rest, meta };
    });
  t.same(again.summary, summary);
  t.same(await published(again.kinga), await published(kinga), 'same resources, ids included');
});
