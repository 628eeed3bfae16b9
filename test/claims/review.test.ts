import t from 'tap';
import {
  cover,
  facilityWithPrices,
  insuredFamily,
  makeItem,
  makeProduct,
  makeService,
  write,
} from '../helpers/eligibility-scheme.ts';
import { buildTestApp, unique, validFhir, type TestApp } from '../helpers/test-app.ts';
import {
  claimOf,
  lineAmounts,
  makeDiagnosis,
  NO_REVIEW,
  quantityApproved,
  totalOf,
} from './claim-fixtures.ts';
import { claimScheme, issueOf } from './claim-scheme.ts';

// Medical review: the rules pick claims; a reviewer's decisions rerun the valuation, and the
// ClaimResponse keeps its earlier version in the history.

const kinga = await buildTestApp(t, { ...NO_REVIEW, CLAIM_REVIEW_SAMPLE_PERCENT: '100' });
const db = kinga.database;

/** Item A 10.00 (the scheme pays 80 %), item B 5.00 and a service 20.00 (paid in full). */
async function scheme() {
  return write(db, async (tx) => {
    const product = makeProduct(tx);
    const itemA = makeItem(tx, { price: '10.00' });
    const itemB = makeItem(tx, { price: '5.00' });
    const service = makeService(tx, 'C', { price: '20.00' });
    cover(tx, product, { item: itemA }, { limitAdult: '80.00' });
    cover(tx, product, { item: itemB });
    cover(tx, product, { service });
    const facility = facilityWithPrices(tx, {
      items: [{ item: itemA }, { item: itemB }],
      services: [{ service }],
    });
    const { members } = insuredFamily(tx, ['1980-01-01'], {
      product,
      start: '2025-01-01',
      effective: '2025-01-01',
      expiry: '2025-12-31',
    });
    return { itemA, itemB, service, facility, member: members[0]!, diagnosis: makeDiagnosis(tx) };
  });
}

type Scheme = Awaited<ReturnType<typeof scheme>>;

/** 3 × A at 10 (30: benefit 24), 2 × B at 5 (10), 1 × service at 20 (20): benefit 54. */
const threeLines = (s: Scheme) =>
  claimOf({
    patient: s.member.id,
    facility: s.facility.id,
    diagnosis: s.diagnosis.code,
    from: '2025-06-10',
    lines: [
      { kind: 'item', code: s.itemA.code, quantity: 3, price: 10 },
      { kind: 'item', code: s.itemB.code, quantity: 2, price: 5 },
      { kind: 'service', code: s.service.code, quantity: 1, price: 20 },
    ],
  });

async function submit(app: TestApp, body: unknown): Promise<any> {
  const res = await app.fhir({ method: 'POST', url: '/fhir/R4/Claim', body });
  if (res.status !== 201) {
    throw new Error(`submission answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

const part = (name: string, value: Record<string, unknown>) => ({ name, ...value });

/** Line 1 down to 2 units, line 2 rejected, line 3 at 15.00 instead of 20.00. */
const decisions = {
  resourceType: 'Parameters',
  parameter: [
    { name: 'justification', valueString: 'Checked against the patient file' },
    {
      name: 'line',
      part: [
        part('sequence', { valuePositiveInt: 1 }),
        part('quantity', { valueInteger: 2 }),
        part('justification', { valueString: 'Two doses given, not three' }),
      ],
    },
    {
      name: 'line',
      part: [part('sequence', { valuePositiveInt: 2 }), part('reject', { valueBoolean: true })],
    },
    {
      name: 'line',
      part: [part('sequence', { valuePositiveInt: 3 }), part('unitPrice', { valueMoney: { value: 15 } })],
    },
  ],
};

const review = (id: string, body: unknown = decisions, headers?: Record<string, string>) =>
  kinga.fhir({ method: 'POST', url: `/fhir/R4/Claim/${id}/$review`, body, ...(headers ? { headers } : {}) });

t.test('a sampled claim waits for review; the review reruns the valuation', async (t) => {
  const s = await scheme();
  const submitted = await submit(kinga, threeLines(s));
  t.equal(submitted.outcome, 'queued', 'selected for review');
  t.same(
    submitted.processNote.map((n: any) => n.text),
    ['Selected for medical review: sample'],
  );
  t.equal(totalOf(submitted, 'benefit'), 54);
  t.equal(lineAmounts(submitted, 1).benefit, 24);
  t.notOk(submitted.payment, 'nothing paid while under review');

  const res = await review(submitted.id);
  t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 1500));
  const reviewed = validFhir(t, res);
  t.equal(reviewed.resourceType, 'ClaimResponse');
  t.equal(reviewed.id, submitted.id);
  t.equal(reviewed.meta.versionId, '2');
  t.equal(reviewed.outcome, 'complete');
  // Line 1: 2 × 10 = 20, the scheme pays 80 %: copay 4, benefit 16.
  t.match(lineAmounts(reviewed, 1), { submitted: 30, eligible: 20, copay: 4, benefit: 16, reason: '0' });
  t.equal(quantityApproved(reviewed, 1), 2);
  // Line 2: rejected by the reviewer (reason −1), nothing paid.
  t.same(lineAmounts(reviewed, 2), { submitted: 10, reason: '-1' });
  // Line 3: 1 × 15 paid in full.
  t.match(lineAmounts(reviewed, 3), { 'unit-price': 15, eligible: 15, copay: 0, benefit: 15, reason: '0' });
  t.equal(totalOf(reviewed, 'submitted'), 60);
  t.equal(totalOf(reviewed, 'eligible'), 35);
  t.equal(totalOf(reviewed, 'copay'), 4);
  t.equal(totalOf(reviewed, 'benefit'), 31);
  t.equal(reviewed.payment?.amount?.value, 31, 'valuated: what the facility is paid');
  t.same(
    reviewed.processNote.map((n: any) => n.text),
    [
      'Selected for medical review: sample',
      'Review: Checked against the patient file',
      'Line 1: Two doses given, not three',
    ],
  );

  const history = await kinga.fhir({ method: 'GET', url: `/fhir/R4/ClaimResponse/${submitted.id}/_history` });
  t.equal(history.status, 200);
  const versions = validFhir(t, history).entry.map((e: any) => e.resource);
  t.same(versions.map((v: any) => [v.meta.versionId, v.outcome, totalOf(v, 'benefit')]).sort(), [
    ['1', 'queued', 54],
    ['2', 'complete', 31],
  ]);
  const first = await kinga.fhir({ method: 'GET', url: `/fhir/R4/ClaimResponse/${submitted.id}/_history/1` });
  t.equal(validFhir(t, first).outcome, 'queued', 'the version before the review is kept');

  const again = await review(submitted.id);
  t.equal(again.status, 409, 'a valuated claim is not reviewed again');
  t.match(issueOf(t, again), { details: { coding: [{ code: 'claim.not-reviewable' }] } });
  validFhir(t, again);
});

t.test('a ClaimResponse is never written directly', async (t) => {
  const s = await scheme();
  const submitted = await submit(kinga, threeLines(s));
  const put = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/ClaimResponse/${submitted.id}`,
    body: { ...submitted, outcome: 'complete' },
  });
  t.equal(put.status, 405);
  validFhir(t, put);
  const del = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/ClaimResponse/${submitted.id}` });
  t.equal(del.status, 405);
  validFhir(t, del);
  const post = await kinga.fhir({ method: 'POST', url: '/fhir/R4/ClaimResponse', body: submitted });
  t.equal(post.status, 405);
  validFhir(t, post);
  const still = await kinga.fhir({ method: 'GET', url: `/fhir/R4/ClaimResponse/${submitted.id}` });
  t.equal(validFhir(t, still).meta.versionId, '1');
  t.equal(still.body.outcome, 'queued');
});

t.test('a facility-bound client, or one without update scope, cannot review', async (t) => {
  const s = await scheme();
  const submitted = await submit(kinga, threeLines(s));
  const issue = (scope: string, facilityId?: string) =>
    kinga.app.kinga.auth.tokens.issue({ clientId: 'emr', scope, ...(facilityId ? { facilityId } : {}) });
  const bound = (await issue('system/*.cruds', s.facility.id)).access_token;
  const res = await review(submitted.id, decisions, { authorization: `Bearer ${bound}` });
  t.equal(res.status, 403);
  validFhir(t, res);
  const readOnly = (await issue('system/Claim.rs')).access_token;
  const res2 = await review(submitted.id, decisions, { authorization: `Bearer ${readOnly}` });
  t.equal(res2.status, 403);
  validFhir(t, res2);
  const still = await kinga.fhir({ method: 'GET', url: `/fhir/R4/ClaimResponse/${submitted.id}` });
  t.equal(validFhir(t, still).outcome, 'queued', 'not reviewed');
});

t.test('a review names what is wrong in its Parameters', async (t) => {
  const s = await scheme();
  const submitted = await submit(kinga, threeLines(s));
  const noReason = await review(submitted.id, {
    resourceType: 'Parameters',
    parameter: decisions.parameter.slice(1),
  });
  t.equal(noReason.status, 422);
  validFhir(t, noReason);
  t.same(issueOf(t, noReason).expression, ["Parameters.parameter.where(name='justification')"]);
  const unknownLine = await review(submitted.id, {
    resourceType: 'Parameters',
    parameter: [
      decisions.parameter[0],
      {
        name: 'line',
        part: [part('sequence', { valuePositiveInt: 9 }), part('reject', { valueBoolean: true })],
      },
    ],
  });
  t.equal(unknownLine.status, 422);
  validFhir(t, unknownLine);
  t.same(issueOf(t, unknownLine).expression, ["Parameters.parameter.where(name='line')[0]"]);
  const badQuantity = await review(submitted.id, {
    resourceType: 'Parameters',
    parameter: [
      decisions.parameter[0],
      {
        name: 'line',
        part: [part('sequence', { valuePositiveInt: 1 }), part('quantity', { valueDecimal: 1.5 })],
      },
    ],
  });
  t.equal(badQuantity.status, 422);
  validFhir(t, badQuantity);
  t.same(issueOf(t, badQuantity).expression, [
    "Parameters.parameter.where(name='line')[0].part.where(name='quantity')",
  ]);
  const missing = await review('01a20000-0000-7000-8000-00000000dead');
  t.equal(missing.status, 404);
  validFhir(t, missing);
  const still = await kinga.fhir({ method: 'GET', url: `/fhir/R4/ClaimResponse/${submitted.id}` });
  t.equal(validFhir(t, still).meta.versionId, '1', 'nothing changed');
});

t.test('the amount rule picks only claims whose benefit is above the threshold', async (t) => {
  const app = await buildTestApp(t, { ...NO_REVIEW, CLAIM_REVIEW_AMOUNT_ABOVE: '40.00' });
  const s = await claimScheme(app.database);
  const claim = (services: number) =>
    claimOf({
      code: unique('AM'),
      patient: s.member.id,
      facility: s.facility.id,
      diagnosis: s.diagnosis.code,
      from: '2025-09-01',
      lines: [{ kind: 'service', code: s.service.code, quantity: services, price: 20 }],
    });
  const atThreshold = await submit(app, claim(2));
  t.equal(totalOf(atThreshold, 'benefit'), 40);
  t.equal(atThreshold.outcome, 'complete', '40.00 is not above 40.00: approved');
  t.notOk(atThreshold.processNote);
  const above = await submit(app, claim(3));
  t.equal(totalOf(above, 'benefit'), 60);
  t.equal(above.outcome, 'queued');
  t.same(
    above.processNote.map((n: any) => n.text),
    ['Selected for medical review: amount'],
  );
  const reviewed = await app.fhir({
    method: 'POST',
    url: `/fhir/R4/Claim/${above.id}/$review`,
    body: {
      resourceType: 'Parameters',
      parameter: [{ name: 'justification', valueString: 'Fine as claimed' }],
    },
  });
  t.equal(reviewed.status, 200);
  t.equal(validFhir(t, reviewed).outcome, 'complete');
  t.equal(totalOf(reviewed.body, 'benefit'), 60, 'approved as valuated');
  const notReviewable = await app.fhir({
    method: 'POST',
    url: `/fhir/R4/Claim/${atThreshold.id}/$review`,
    body: { resourceType: 'Parameters', parameter: [{ name: 'justification', valueString: 'Too late' }] },
  });
  t.equal(notReviewable.status, 409, 'an approved claim is not reviewed');
  validFhir(t, notReviewable);
});

t.test(
  'the visits rule picks the 3rd claim of a patient at one facility within 30 days, not the 2nd',
  async (t) => {
    const app = await buildTestApp(t, { ...NO_REVIEW, CLAIM_REVIEW_VISITS_PER_30_DAYS: '3' });
    const s = await claimScheme(app.database);
    const visit = (from: string) =>
      claimOf({
        code: unique('VI'),
        patient: s.member.id,
        facility: s.facility.id,
        diagnosis: s.diagnosis.code,
        from,
        lines: [{ kind: 'service', code: s.service.code, quantity: 1, price: 20 }],
      });
    const first = await submit(app, visit('2025-09-01'));
    t.equal(first.outcome, 'complete');
    t.equal(first.meta.versionId, '1', 'stored once: judging the claim does not write it first');
    const second = await submit(app, visit('2025-09-10'));
    t.equal(second.outcome, 'complete', 'the 2nd visit is not unusual');
    const third = await submit(app, visit('2025-09-20'));
    t.equal(third.outcome, 'queued', 'the 3rd within 30 days is');
    t.same(
      third.processNote.map((n: any) => n.text),
      ['Selected for medical review: frequency'],
    );
    const later = await submit(app, visit('2025-11-01'));
    t.equal(later.outcome, 'complete', 'more than 30 days after the others');
  },
);

t.test('the rare-service rule picks a service the scheme has not accepted often enough yet', async (t) => {
  const app = await buildTestApp(t, { ...NO_REVIEW, CLAIM_REVIEW_RARE_SERVICE_LINES: '1' });
  const s = await claimScheme(app.database);
  const claim = (from: string) =>
    claimOf({
      code: unique('RS'),
      patient: s.member.id,
      facility: s.facility.id,
      diagnosis: s.diagnosis.code,
      from,
      lines: [{ kind: 'service', code: s.service.code, quantity: 1, price: 20 }],
    });
  const first = await submit(app, claim('2025-09-01'));
  t.equal(first.outcome, 'queued', 'never accepted before: reviewed');
  t.same(
    first.processNote.map((n: any) => n.text),
    ['Selected for medical review: rare-service'],
  );
  const second = await submit(app, claim('2025-10-15'));
  t.equal(second.outcome, 'complete', 'accepted once already: approved');
});

t.test('a Parameters of the wrong shape is a 400 naming the element, never a 500', async (t) => {
  const s = await scheme();
  const submitted = await submit(kinga, threeLines(s));
  for (const parameter of [
    [{ name: 'justification', valueString: 5 }],
    [
      { name: 'justification', valueString: 'x' },
      { name: 'line', part: { name: 'sequence', valuePositiveInt: 1 } },
    ],
  ]) {
    const res = await kinga.fhir({
      method: 'POST',
      url: `/fhir/R4/Claim/${submitted.id}/$review`,
      body: { resourceType: 'Parameters', parameter },
    });
    t.equal(res.status, 400, JSON.stringify(parameter));
    const outcome = validFhir(t, res);
    t.match(outcome.issue[0].expression?.join(' '), /Parameters\.parameter/);
  }
});
