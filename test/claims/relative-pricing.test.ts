/**
 * The relative-pricing batch through HTTP and the database: claims with relative-price lines are
 * processed (ClaimResponse partial) until the period's run prices them at contributions ÷ nominal
 * value; a run is recorded once per product and period, reversed explicitly, run again; and the
 * monthly job does the same on the pg-boss queue. Each product is this file's own, so the runs
 * (per product) never touch another file's claims; the job's month is in 1980, where no other
 * file has claims.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { Claim } from '../../src/domain/claim/claim.entity.ts';
import { RelativePricingRun } from '../../src/domain/claim/relative-pricing/relative-pricing-run.entity.ts';
import type { MedicalItem } from '../../src/domain/medical/medical-item.entity.ts';
import type { MedicalService } from '../../src/domain/medical/medical-service.entity.ts';
import type { Organisation } from '../../src/domain/organisation/organisation.entity.ts';
import type { Insuree } from '../../src/domain/insuree/insuree.entity.ts';
import { Premium } from '../../src/domain/policy/premium.entity.ts';
import type { Product } from '../../src/domain/product/product.entity.ts';
import { JobService } from '../../src/platform/jobs/job-service.ts';
import { schemeJobs } from '../../src/platform/jobs/scheme-jobs.ts';
import {
  cover,
  facilityWithPrices,
  insuredFamily,
  makeItem,
  makeProduct,
  makeService,
  write,
} from '../helpers/eligibility-scheme.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import { reader } from '../policy/scheme-fixtures.ts';
import { claimOf, lineAmounts, makeDiagnosis, NO_REVIEW, totalOf } from './claim-fixtures.ts';
import { issueOf } from './claim-scheme.ts';

const kinga = await buildTestApp(t, NO_REVIEW);
const db = kinga.database;

interface Scheme {
  product: Product;
  /** Covered at a relative price (R), 40.00 on the facility's list. */
  item: MedicalItem;
  /** Covered at the price list's 20.00 (P). */
  service: MedicalService;
  facility: Organisation;
  member: Insuree;
  diagnosis: string;
}

/**
 * A product priced relatively by `periods`, an R item and a P service, and one member whose
 * policy covers `start`..`expiry` and was paid `paid` on the start date.
 */
function scheme(periods: Partial<Product>, start: string, expiry: string, paid: string): Promise<Scheme> {
  return write(db, async (tx) => {
    const product = makeProduct(tx, periods);
    const item = makeItem(tx, { price: '40.00' });
    const service = makeService(tx, 'C', { price: '20.00' });
    cover(tx, product, { item }, { priceOrigin: 'R' });
    cover(tx, product, { service });
    const facility = facilityWithPrices(tx, { items: [{ item }], services: [{ service }] });
    const { members, policy } = insuredFamily(tx, ['1980-01-01'], {
      product,
      start,
      effective: start,
      expiry,
    });
    tx.create(Premium, {
      policy,
      product,
      kind: 'payment',
      amount: paid,
      receipt: unique('RP'),
      payDate: start,
      payType: 'C',
    } as Premium);
    return { product, item, service, facility, member: members[0]!, diagnosis: makeDiagnosis(tx).code };
  });
}

/** Submits a claim treated from `from` (to `to`) with `items` units of the R item and maybe the service. */
async function submit(
  s: Scheme,
  from: string,
  items: number,
  options: { service?: boolean; to?: string } = {},
): Promise<any> {
  const response = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Claim',
    body: claimOf({
      patient: s.member.id,
      facility: s.facility.id,
      diagnosis: s.diagnosis,
      from,
      ...(options.to ? { to: options.to } : {}),
      lines: [
        { kind: 'item', code: s.item.code, quantity: items, price: 40 },
        ...(options.service
          ? [{ kind: 'service' as const, code: s.service.code, quantity: 1, price: 20 }]
          : []),
      ],
    }),
  });
  if (response.status !== 201) {
    throw new Error(`claim answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

function pricing(product: Product, period: string, reverse?: boolean) {
  return kinga.fhir({
    method: 'POST',
    url: `/fhir/R4/InsurancePlan/${product.id}/$relative-pricing`,
    body: {
      resourceType: 'Parameters',
      parameter: [
        { name: 'period', valueString: period },
        ...(reverse === undefined ? [] : [{ name: 'reverse', valueBoolean: reverse }]),
      ],
    },
  });
}

/** The answer's parameters by name (Money and decimals as numbers). */
function runOf(t: Test, response: Awaited<ReturnType<typeof pricing>>): Record<string, any> {
  t.equal(response.status, 200, JSON.stringify(response.body).slice(0, 1000));
  const body = validFhir(t, response);
  return Object.fromEntries(
    body.parameter.map((p: any) => [
      p.name,
      p.valueMoney?.value ??
        p.valueDecimal ??
        p.valueInteger ??
        p.valueCode ??
        p.valueString ??
        p.valueId ??
        p.valueDate ??
        p.valueDateTime ??
        p.valueReference?.reference,
    ]),
  );
}

async function claimResponse(t: Test, id: string): Promise<any> {
  const response = await kinga.fhir({ method: 'GET', url: `/fhir/R4/ClaimResponse/${id}` });
  t.equal(response.status, 200);
  return validFhir(t, response);
}

const loadClaim = (id: string) => reader(db).findOneOrFail(Claim, id, { populate: ['lines'] });

// 3 650.00 paid for 2025-01-01..2025-12-31 (365 days) is 10.00 a day of cover: June (30 days)
// earns 300.00, July (31 days) 310.00; no distribution: all of it goes to relative prices.
const june = await scheme({ relativePricingPeriod: 'M' }, '2025-01-01', '2025-12-31', '3650.00');

t.test('a period is priced once, reversed explicitly, and priced again', async (t) => {
  // June: A has 5 × 40.00 = 200.00 at a relative price and a 20.00 service at the list price;
  // B (the month's last day) 4 × 40.00 = 160.00. Nominal 360.00. C is July's.
  const a = await submit(june, '2025-06-10', 5, { service: true });
  const b = await submit(june, '2025-06-30', 4);
  const c = await submit(june, '2025-07-01', 1);
  for (const response of [a, b, c]) {
    t.equal(response.outcome, 'partial', 'processed: the relative price waits for the batch');
    t.notOk(response.payment, 'nothing paid yet');
  }
  t.equal(lineAmounts(a, 1).benefit, 200, 'valued at the nominal price meanwhile');
  t.equal((await loadClaim(a.id)).status, 'processed');

  // index = 300.00 / 360.00 = 0.8333333… → 0.833333
  // A: 200.00 × 0.833333 = 166.6666 → 166.67, + the service's 20.00 = 186.67
  // B: 160.00 × 0.833333 = 133.33328 → 133.33
  const ran = runOf(t, await pricing(june.product, '2025-06'));
  t.match(ran, {
    outcome: 'ran',
    status: 'run',
    periodCode: '2025-06',
    periodStart: '2025-06-01',
    periodEnd: '2025-06-30',
    plan: `InsurancePlan/${june.product.id}`,
    distribution: 100,
    contributions: 300,
    nominal: 360,
    index: 0.833333,
    claims: 2,
    lines: 2,
  });
  t.notOk('indexInPatient' in ran, 'one index: the product has one period');

  const priced = await claimResponse(t, a.id);
  t.equal(priced.outcome, 'complete');
  t.equal(priced.meta.versionId, '2', 'a new version of the ClaimResponse');
  t.equal(lineAmounts(priced, 1).remunerated, 166.67);
  t.equal(lineAmounts(priced, 2).remunerated, 20, 'the list-price line is paid its benefit');
  t.equal(totalOf(priced, 'benefit'), 220, 'the benefit stays the nominal value');
  t.equal(priced.payment.amount.value, 186.67);
  t.equal((await claimResponse(t, b.id)).payment.amount.value, 133.33);
  t.equal((await claimResponse(t, c.id)).outcome, 'partial', "July's claim waits for July");

  const stored = await loadClaim(a.id);
  t.match(stored, { status: 'valuated', remunerated: '186.67', batchRun: ran['run'] });
  t.ok(stored.valuatedAt, 'valuated at');
  const run = await reader(db).findOneOrFail(RelativePricingRun, ran['run']);
  t.match(run, { indexGeneral: '0.833333', contributions: '300.00', nominal: '360.00', status: 'run' });

  const history = await kinga.fhir({ method: 'GET', url: `/fhir/R4/ClaimResponse/${a.id}/_history` });
  t.same(
    validFhir(t, history)
      .entry.map((e: any) => [e.resource.meta.versionId, e.resource.outcome])
      .sort(),
    [
      ['1', 'partial'],
      ['2', 'complete'],
    ],
    'the processed version stays in the history',
  );

  const again = runOf(t, await pricing(june.product, '2025-06'));
  t.match(again, { outcome: 'existing', run: ran['run'], index: 0.833333, claims: 2 });
  t.equal((await claimResponse(t, a.id)).meta.versionId, '2', 'running twice changes nothing');

  const reversed = runOf(t, await pricing(june.product, '2025-06', true));
  t.match(reversed, { outcome: 'reversed', run: ran['run'], status: 'reversed' });
  t.ok(reversed['reversed'], 'when it was reversed');
  const back = await claimResponse(t, a.id);
  t.equal(back.outcome, 'partial', 'processed again');
  t.notOk(back.payment);
  t.equal(lineAmounts(back, 1).remunerated, undefined, 'the price is taken back');
  t.match(await loadClaim(a.id), {
    status: 'processed',
    remunerated: null,
    batchRun: null,
    valuatedAt: null,
  });
  t.equal((await loadClaim(a.id)).lines.getItems().filter((l) => l.remunerated != null).length, 0);

  const nothing = await pricing(june.product, '2025-06', true);
  t.equal(nothing.status, 422, 'no run left to reverse');
  t.match(issueOf(t, nothing), { details: { coding: [{ code: 'relative-pricing.run-not-found' }] } });

  const rerun = runOf(t, await pricing(june.product, '2025-06'));
  t.match(rerun, { outcome: 'ran', index: 0.833333, contributions: 300, nominal: 360, claims: 2 });
  t.not(rerun['run'], ran['run'], 'a new run');
  const repriced = await claimResponse(t, a.id);
  t.match(repriced, {
    outcome: 'complete',
    meta: { versionId: '4' },
    payment: { amount: { value: 186.67 } },
  });
  t.match(await loadClaim(b.id), { status: 'valuated', remunerated: '133.33', batchRun: rerun['run'] });
  t.same(
    (await reader(db).find(RelativePricingRun, { product: june.product.id, periodCode: '2025-06' }))
      .map((r) => r.status)
      .sort(),
    ['reversed', 'run'],
    'the reversed run is kept',
  );

  // July: 310.00 earned for 40.00 asked: 7.75, capped at 1: the facility gets the nominal price.
  const july = runOf(t, await pricing(june.product, '2025-07'));
  t.match(july, { contributions: 310, nominal: 40, index: 1, claims: 1 });
  t.equal((await claimResponse(t, c.id)).payment.amount.value, 40);

  // August has no relative-price line: index 1, nothing priced.
  t.match(runOf(t, await pricing(june.product, '2025-08')), {
    contributions: 310,
    nominal: 0,
    index: 1,
    claims: 0,
  });
});

t.test('in-patient and out-patient care priced with indexes of their own', async (t) => {
  const split = await scheme(
    { relativePricingPeriodInPatient: 'M', relativePricingPeriodOutPatient: 'M', ceilingInterpretation: 'I' },
    '2025-01-01',
    '2025-12-31',
    '3650.00',
  );
  // A stay of two nights is in-patient care (interpretation I): 10 × 40.00 = 400.00;
  // a day visit is out-patient: 5 × 40.00 = 200.00. Each pool is set against June's 300.00:
  // in-patient 300.00 / 400.00 = 0.75 → 300.00; out-patient 300.00 / 200.00 = 1.5, capped at 1.
  const stay = await submit(split, '2025-06-10', 10, { to: '2025-06-12' });
  const visit = await submit(split, '2025-06-15', 5);
  const ran = runOf(t, await pricing(split.product, '2025-06'));
  t.match(ran, { contributions: 300, nominal: 600, indexInPatient: 0.75, indexOutPatient: 1, claims: 2 });
  t.notOk('index' in ran);
  t.equal((await claimResponse(t, stay.id)).payment.amount.value, 300);
  t.equal((await claimResponse(t, visit.id)).payment.amount.value, 200);
});

t.test('what cannot be priced is refused', async (t) => {
  const cases: [string, () => ReturnType<typeof pricing>, number, string][] = [
    [
      'a period in no known form',
      () => pricing(june.product, '2025-13'),
      400,
      'relative-pricing.period-invalid',
    ],
    ['a period not yet over', () => pricing(june.product, '2099-01'), 422, 'relative-pricing.period-open'],
    [
      'a quarter of a monthly product',
      () => pricing(june.product, '2025-Q2'),
      422,
      'relative-pricing.not-priced',
    ],
    [
      'an unknown plan',
      () => pricing({ id: '0190a0e0-0000-7000-8000-000000000000' } as Product, '2025-06'),
      404,
      'relative-pricing.product-not-found',
    ],
  ];
  for (const [label, call, status, code] of cases) {
    const response = await call();
    t.equal(response.status, status, label);
    t.match(issueOf(t, response), { details: { coding: [{ code }] } }, label);
  }
  const missing = await kinga.fhir({
    method: 'POST',
    url: `/fhir/R4/InsurancePlan/${june.product.id}/$relative-pricing`,
    body: { resourceType: 'Parameters', parameter: [] },
  });
  t.equal(missing.status, 400, 'the period is required');
  validFhir(t, missing);
});

t.test('the monthly job prices the month before on the pg-boss queue', async (t) => {
  // 1980 is a leap year: 3 660.00 for 366 days is 10.00 a day; January earns 310.00.
  // 10 × 40.00 = 400.00 asked: index 310 / 400 = 0.775, the line paid 310.00.
  const s = await scheme({ relativePricingPeriod: 'M' }, '1980-01-01', '1980-12-31', '3660.00');
  const claim = await submit(s, '1980-01-15', 10);
  const jobs = new JobService({
    url: kinga.config.DATABASE_URL!,
    timeZone: 'UTC',
    jobs: schemeJobs(kinga.config),
    context: { orm: db.orm, log: pino({ level: 'silent' }) },
    // No cron: a schedule firing during the run would price every test's products.
    schedule: false,
  });
  await jobs.start();
  t.teardown(() => jobs.stop());

  async function run(data: object) {
    const id = await jobs.send('relative-pricing', data);
    t.ok(id, 'queued');
    for (let i = 0; i < 120; i += 1) {
      const job = await jobs.find('relative-pricing', id!);
      if (job && (job.state === 'completed' || job.state === 'failed')) {
        return job;
      }
      await sleep(250);
    }
    throw new Error('relative-pricing did not finish');
  }

  const first = await run({ today: '1980-02-01' });
  t.equal(first.state, 'completed', JSON.stringify(first.output));
  t.match(first.output, { today: '1980-02-01', month: '1980-01' });
  const runs = await reader(db).find(RelativePricingRun, { product: s.product.id });
  t.match(runs, [{ periodCode: '1980-01', indexGeneral: '0.775000', contributions: '310.00', claims: 1 }]);
  const priced = await claimResponse(t, claim.id);
  t.match(priced, { outcome: 'complete', payment: { amount: { value: 310 } } });

  const second = await run({ today: '1980-02-01' });
  t.equal(second.state, 'completed');
  t.equal(await reader(db).count(RelativePricingRun, { product: s.product.id }), 1, 'once per period');
  t.equal((await claimResponse(t, claim.id)).meta.versionId, priced.meta.versionId, 'nothing changed');
});
