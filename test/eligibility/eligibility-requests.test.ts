import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { EligibilityEnquiry } from '../../src/domain/eligibility/eligibility-enquiry.entity.ts';
import { Product } from '../../src/domain/product/product.entity.ts';
import { emQueryable } from '../../src/platform/database/queryable.ts';
import { sql } from '../../src/platform/database/sql.ts';
import { addDays } from '../../src/domain/policy/calendar.ts';
import { todayIn } from '../../src/platform/jobs/scheme-today.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import {
  cover,
  facilityWithPrices,
  insuredFamily,
  makeItem,
  makeProduct,
  makeService,
  used,
  write,
} from '../helpers/eligibility-scheme.ts';
import {
  answerFor,
  ask,
  enquiry,
  errorCodes,
  insuranceOf,
  outcomeIssue,
  packageBenefit,
} from './eligibility-fixtures.ts';

const kinga = await buildTestApp(t);
const db = kinga.database;
const today = todayIn(kinga.config.SCHEME_TIME_ZONE);
const fixture = JSON.parse(
  readFileSync(
    new URL('../fixtures/openimis/coverage-eligibility-request-example-1.json', import.meta.url),
    'utf8',
  ),
);

/** A product covering a fresh item and consultation, 2 consultations a year; a family covered around today. */
async function coveredToday(numbers: string[] = [unique('N')], codes?: { item: string; service: string }) {
  return write(db, async (tx) => {
    const product = makeProduct(tx, { categoryLimits: { consultationCount: 2 } } as never);
    const item = makeItem(tx, codes ? { code: codes.item } : {});
    const service = makeService(tx, 'C', codes ? { code: codes.service } : {});
    cover(tx, product, { item }, { maxProvisionsAdult: 4 });
    cover(tx, product, { service });
    const insured = insuredFamily(
      tx,
      numbers.map(() => '1980-01-01'),
      { product, start: addDays(today, -30), effective: addDays(today, -30), expiry: addDays(today, 300) },
    );
    insured.members.forEach((member, index) => {
      member.insuranceNumber = numbers[index]!;
    });
    return { ...insured, product, item, service };
  });
}

t.test(
  'the openIMIS request fixture (Patient/<insurance number>, codes as text) gets a correct answer',
  async (t) => {
    const scheme = await coveredToday(['chfid'], { item: 'ITEST', service: 'STEST' });
    await used(db, {
      insureeId: scheme.members[0]!.id,
      policyId: scheme.policy.id,
      date: addDays(today, -10),
      careSetting: 'O',
      category: 'C',
      amount: '15.00',
      lines: [
        { serviceId: scheme.service.id, quantity: 1, amount: '12.00' },
        { itemId: scheme.item.id, quantity: 3, amount: '3.00' },
      ],
    });
    const answer = await ask(t, kinga, fixture);
    t.equal(answer.outcome, 'complete');
    t.same(answer.patient, { reference: `Patient/${scheme.members[0]!.id}` }, 'resolved by insurance number');
    t.equal(answer.servicedDate, today, 'no date given: today');
    t.same(answer.purpose, ['benefits']);
    t.same(errorCodes(answer), []);
    const insurance = insuranceOf(answer, scheme.covers[0]!.id);
    t.equal(insurance.inforce, true);
    t.same(insurance.benefitPeriod, { start: addDays(today, -30), end: addDays(today, 300) });
    t.same(packageBenefit(insurance, 'consultation-count'), { allowed: 2, used: 1, remaining: 1 });
    // openIMIS swaps these two and omits zeros (openimis.md §3.5): each is answered about itself.
    const service = answerFor(insurance, 'STEST');
    const item = answerFor(insurance, 'ITEST');
    t.equal(service.excluded, false);
    t.same(service.quantity, { used: 1 });
    t.equal(item.excluded, false);
    t.same(item.quantity, { allowed: 4, used: 3, remaining: 1 });
    t.equal(item.price, 10);
    t.equal(service.price, 20);

    // Stored: the request as asked and the answer, readable and searchable.
    const request = validFhir(
      t,
      await kinga.fhir({ method: 'GET', url: `/fhir/R4/CoverageEligibilityRequest/${answer.id}` }),
    );
    t.same(request.identifier, [{ value: 'D30F70DF-D10B-43D4-9578-5137C118AD84' }]);
    t.equal(request.created, '2021-09-29');
    t.same(
      request.item.map((i: any) => i.productOrService.text),
      ['STEST', 'ITEST'],
    );
    const read = validFhir(
      t,
      await kinga.fhir({ method: 'GET', url: `/fhir/R4/CoverageEligibilityResponse/${answer.id}` }),
    );
    t.same(read, answer, 'the answer read back is the one given');
    t.equal(read.request.reference, `CoverageEligibilityRequest/${answer.id}`);
    const patientId = scheme.members[0]!.id;
    for (const url of [
      `CoverageEligibilityResponse?patient=Patient/${patientId}`,
      `CoverageEligibilityResponse?request=CoverageEligibilityRequest/${answer.id}`,
      `CoverageEligibilityRequest?patient=${patientId}&created=2021-09-29`,
      `CoverageEligibilityResponse?patient=${patientId}&created=ge${today}&outcome=complete`,
    ]) {
      const bundle = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/${url}` }));
      t.same(
        bundle.entry.map((e: any) => e.resource.id),
        [answer.id],
        url,
      );
    }
  },
);

t.test('a change to the product is answered by the next enquiry, however it was written', async (t) => {
  // Product terms are kept by row version (product-terms.sql.ts): no write may leave them stale.
  const scheme = await coveredToday();
  const asked = enquiry({ reference: `Patient/${scheme.members[0]!.id}` }, today);
  const allowed = async () =>
    packageBenefit(insuranceOf(await ask(t, kinga, asked), scheme.covers[0]!.id), 'consultation-count')
      ?.allowed;
  t.equal(await allowed(), 2, 'as the product was made');
  await write(db, async (tx) => {
    const product = await tx.findOneOrFail(Product, scheme.product.id);
    product.categoryLimits = { ...product.categoryLimits, consultationCount: 3 };
  });
  t.equal(await allowed(), 3, 'changed through the ORM');
  const sqlDb = emQueryable(db.orm.em.fork());
  await sqlDb.query(sql`update product set max_consultation_count = 5 where id = ${scheme.product.id}::uuid`);
  t.equal(await allowed(), 5, 'changed by SQL, the version column untouched');
});

t.test('the patient by Patient?identifier= and by identifier', async (t) => {
  const number = unique('N');
  const scheme = await coveredToday([number]);
  const system = kinga.config.INSURANCE_NUMBER_SYSTEM;
  for (const reference of [
    { reference: `Patient?identifier=${system}|${number}` },
    { reference: `Patient?identifier=${number}` },
    { identifier: { system, value: number } },
    { identifier: { value: number } },
  ]) {
    const answer = await ask(t, kinga, enquiry(reference, today));
    t.same(answer.patient, { reference: `Patient/${scheme.members[0]!.id}` }, JSON.stringify(reference));
    t.equal(insuranceOf(answer, scheme.covers[0]!.id).inforce, true);
  }
});

t.test('an unknown patient, or one without cover, is a processed request with a coded error', async (t) => {
  const unknown = await ask(t, kinga, enquiry({ reference: `Patient/${unique('NOSUCH')}` }, today));
  t.equal(unknown.outcome, 'error');
  t.same(errorCodes(unknown), ['patient-unknown']);
  t.same(unknown.insurance ?? [], []);
  const uninsured = await write(db, async (tx) =>
    insuredFamily(tx, ['1990-01-01'], {
      product: makeProduct(tx),
      start: '2010-01-01',
      effective: '2010-01-01',
      expiry: '2010-12-31',
    }),
  );
  const none = await ask(t, kinga, enquiry({ reference: `Patient/${uninsured.members[0]!.id}` }, today));
  t.equal(none.outcome, 'complete');
  t.same(errorCodes(none), ['no-coverage'], 'a cover that ended 15 years ago is not listed');
});

t.test(
  'bad requests are refused with an OperationOutcome naming the element; nothing is stored',
  async (t) => {
    const scheme = await coveredToday();
    const good = enquiry({ reference: `Patient/${scheme.members[0]!.id}` }, today);
    const cases: { body: Record<string, unknown>; status: number; expression: RegExp }[] = [
      {
        body: { ...good, patient: undefined },
        status: 400,
        expression: /CoverageEligibilityRequest\.patient/,
      },
      {
        body: { ...good, servicedDate: '2025-13-45' },
        status: 400,
        expression: /CoverageEligibilityRequest\.serviced/,
      },
      {
        // A valid FHIR date, but not a day: cover is asked for a day.
        body: { ...good, servicedDate: '2025-06' },
        status: 422,
        expression: /^CoverageEligibilityRequest\.serviced$/,
      },
      {
        body: enquiry({ reference: `Patient/${scheme.members[0]!.id}` }, today, [
          { kind: 'item', code: unique('NOPE') },
        ]),
        status: 422,
        expression: /^CoverageEligibilityRequest\.item\[0\]\.productOrService$/,
      },
      {
        // Asked as an organisation that does not exist (422), or by an id that is no UUID (400).
        body: { ...good, provider: { reference: `Organization/${randomUUID()}` } },
        status: 422,
        expression: /^CoverageEligibilityRequest\.provider$/,
      },
      {
        body: { ...good, provider: { reference: 'Organization/not-a-uuid' } },
        status: 400,
        expression: /^CoverageEligibilityRequest\.provider$/,
      },
      {
        body: { ...good, patient: { reference: 'Organization/x' } },
        status: 400,
        expression: /CoverageEligibilityRequest\.patient/,
      },
      {
        body: {
          ...good,
          item: [{ category: { coding: [{ code: 'drug' }] }, productOrService: { text: scheme.item.code } }],
        },
        status: 422,
        expression: /CoverageEligibilityRequest\.item\[0\]\.category/,
      },
    ];
    for (const c of cases) {
      const res = await kinga.fhir({
        method: 'POST',
        url: '/fhir/R4/CoverageEligibilityRequest',
        body: c.body,
      });
      t.equal(res.status, c.status, JSON.stringify(res.body));
      const issue = outcomeIssue(t, res);
      t.equal(issue.severity, 'error');
      t.match(issue.expression?.join(' '), c.expression);
    }
    const stored = validFhir(
      t,
      await kinga.fhir({
        method: 'GET',
        url: `/fhir/R4/CoverageEligibilityRequest?patient=${scheme.members[0]!.id}`,
      }),
    );
    t.same(stored.entry ?? [], [], 'no refused request was stored');
  },
);

t.test(
  'a facility-bound client asks only as its facility; the scope is CoverageEligibilityRequest.c',
  async (t) => {
    const scheme = await coveredToday();
    const [own, other] = await write(db, async (tx) => [
      facilityWithPrices(tx, { items: [{ item: tx.merge(scheme.item) }], services: [] }),
      facilityWithPrices(tx, { items: [], services: [] }),
    ]);
    const token = (
      await kinga.app.kinga.auth.tokens.issue({
        clientId: 'emr',
        scope: 'system/CoverageEligibilityRequest.c',
        facilityId: own.id,
      })
    ).access_token;
    const headers = { authorization: `Bearer ${token}` };
    const patient = { reference: `Patient/${scheme.members[0]!.id}` };
    const asked = [
      { kind: 'item' as const, code: scheme.item.code },
      { kind: 'service' as const, code: scheme.service.code },
    ];

    const refused = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/CoverageEligibilityRequest',
      body: enquiry(patient, today, asked, other.id),
      headers,
    });
    t.equal(refused.status, 403);
    t.match(
      outcomeIssue(t, refused).diagnostics ?? outcomeIssue(t, refused).details.text,
      /acts for facility/,
    );

    const answer = await ask(t, kinga, enquiry(patient, today, asked), headers);
    t.equal(answer.requestor.reference, `Organization/${own.id}`, 'asked as its own facility');
    const insurance = insuranceOf(answer, scheme.covers[0]!.id);
    t.equal(answerFor(insurance, scheme.item.code).excluded, false);
    t.same(answerFor(insurance, scheme.service.code).reasons, ['not-in-price-list']);

    const noScope = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/CoverageEligibilityRequest',
      body: enquiry(patient, today),
      scopes: 'system/Patient.cruds',
    });
    t.equal(noScope.status, 403);
    outcomeIssue(t, noScope);

    const put = await kinga.fhir({
      method: 'PUT',
      url: `/fhir/R4/CoverageEligibilityResponse/${answer.id}`,
      body: { ...answer },
    });
    t.equal(put.status, 405, 'an answer is never changed');
    outcomeIssue(t, put);
  },
);

t.test(
  'the enquiry kept in one statement reads back through the ORM as it was asked and answered',
  async (t) => {
    const scheme = await coveredToday();
    const facility = await write(db, async (tx) =>
      facilityWithPrices(tx, { items: [{ item: tx.merge(scheme.item) }], services: [] }),
    );
    const asked = [{ kind: 'item' as const, code: scheme.item.code }];
    const body = {
      ...enquiry({ reference: `Patient/${scheme.members[0]!.id}` }, today, asked, facility.id),
      identifier: [{ system: 'urn:emr', value: 'visit-7' }],
    };
    const answer = await ask(t, kinga, body);
    const kept = await db.orm.em.fork().findOneOrFail(EligibilityEnquiry, answer.id);
    t.equal(kept.version, 1);
    t.equal(kept.insuree?.id, scheme.members[0]!.id);
    t.equal(kept.facility?.id, facility.id);
    t.equal(kept.patientGiven, `Patient/${scheme.members[0]!.id}`);
    t.equal(kept.requestCreated, '2025-06-01');
    t.equal(kept.requestedAt.toISOString(), '2025-06-01T00:00:00.000Z');
    t.equal(kept.servicedDate, today);
    t.same(kept.purposes, ['benefits', 'validation']);
    t.same(kept.requested, [{ kind: 'item', code: scheme.item.code }]);
    t.same(kept.clientIdentifiers, [{ system: 'urn:emr', value: 'visit-7' }]);
    t.equal(kept.assessment.date, today);
    t.same(
      kept.assessment.insurances.map((i) => i.insureePolicyId),
      [scheme.covers[0]!.id],
      'the assessment given is the one kept',
    );
    t.equal(kept.askedBy, 'test-client');
    t.equal(kept.createdAt.toISOString(), kept.updatedAt.toISOString());
    t.equal(answer.meta.lastUpdated, kept.updatedAt.toISOString(), 'published with the record’s own time');
    const history = validFhir(
      t,
      await kinga.fhir({ method: 'GET', url: `/fhir/R4/CoverageEligibilityRequest/${answer.id}/_history` }),
    );
    t.equal(history.entry.length, 1, 'one version of the request');
  },
);

t.test('in a transaction Bundle an enquiry is kept with the transaction, or not at all', async (t) => {
  const scheme = await coveredToday();
  const patient = { reference: `Patient/${scheme.members[0]!.id}` };
  const stored = async () =>
    validFhir(
      t,
      await kinga.fhir({
        method: 'GET',
        url: `/fhir/R4/CoverageEligibilityResponse?patient=${scheme.members[0]!.id}`,
      }),
    ).entry?.length ?? 0;
  const transaction = (entries: unknown[]) =>
    kinga.fhir({
      method: 'POST',
      url: '/fhir/R4',
      body: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    });
  const asking = {
    resource: enquiry(patient, today),
    request: { method: 'POST', url: 'CoverageEligibilityRequest' },
  };

  const failed = await transaction([
    asking,
    { resource: enquiry(patient, today, [{ kind: 'item', code: unique('NOPE') }]), request: asking.request },
  ]);
  t.equal(failed.status, 422, JSON.stringify(failed.body));
  t.equal(await stored(), 0, 'the first enquiry went with the failed transaction');

  const done = validFhir(t, await transaction([asking, asking]));
  t.same(
    done.entry.map((e: any) => [e.response.status, e.resource.resourceType]),
    [
      ['200 OK', 'CoverageEligibilityResponse'],
      ['200 OK', 'CoverageEligibilityResponse'],
    ],
  );
  t.equal(await stored(), 2, 'both kept');
});

t.test('enquiries asked at once are all kept, each recorded with its own request', async (t) => {
  const scheme = await coveredToday();
  const patient = { reference: `Patient/${scheme.members[0]!.id}` };
  const requestIds = Array.from({ length: 20 }, (_, i) => `concurrent-${unique()}-${i}`);
  const answers = await Promise.all(
    requestIds.map((id) => ask(t, kinga, enquiry(patient, today), { 'x-request-id': id })),
  );
  t.equal(new Set(answers.map((a) => a.id)).size, 20, 'twenty answers');
  const { rows } = await db.pool.query<{ id: string; request_id: string; n: number }>(
    `select id::text, min(request_id) as request_id, count(*)::int as n from fhir_resource
      where resource_type in ('CoverageEligibilityRequest', 'CoverageEligibilityResponse')
        and id = any($1::uuid[]) group by id`,
    [answers.map((a) => a.id)],
  );
  t.equal(rows.length, 20);
  t.ok(
    rows.every((r) => r.n === 2),
    'each enquiry published once as request and once as response',
  );
  const byId = new Map(rows.map((r) => [r.id, r.request_id]));
  t.same(
    answers.map((a) => byId.get(a.id)),
    requestIds,
    'each version names the request that asked',
  );
  const kept = await db.pool.query(
    'select count(*)::int as n from eligibility_enquiry where id = any($1::uuid[])',
    [answers.map((a) => a.id)],
  );
  t.equal(kept.rows[0].n, 20, 'twenty enquiries kept');
  // Kept together in few statements, each published form is stored under its own id.
  for (const answer of answers) {
    const read = await kinga.fhir({
      method: 'GET',
      url: `/fhir/R4/CoverageEligibilityResponse/${answer.id}`,
    });
    t.same(validFhir(t, read), answer, `CoverageEligibilityResponse/${answer.id} reads as it was answered`);
    const request = await kinga.fhir({
      method: 'GET',
      url: `/fhir/R4/CoverageEligibilityRequest/${answer.id}`,
    });
    t.match(validFhir(t, request), { resourceType: 'CoverageEligibilityRequest', id: answer.id });
  }
});
