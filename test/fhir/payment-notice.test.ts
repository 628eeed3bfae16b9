import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { buildTestApp, unique, validFhir, type FhirResponse } from '../helpers/test-app.ts';
import {
  account,
  contract,
  coveragesOf,
  EXT,
  extensionValue,
  family,
  ids,
  noticeBody,
  pay,
  policyStatus,
  product,
  read,
  SYSTEM,
} from '../helpers/policy-api.ts';

const kinga = await buildTestApp(t);

// Per head: 2 adults × 40.00 + 1 child × 20.00 = 100.00; free enrolment on 2024-06-01.
let perHead: any;
t.test('the scheme: a per-head product', async (t) => {
  perHead = await product(t, kinga, { premiumAdult: 40, premiumChild: 20 });
});

async function enrolled(t: Test, planId: string = perHead.id): Promise<any> {
  const { group } = await family(t, kinga, ['1980-01-01', '1982-01-01', '2015-01-01']);
  return contract(t, kinga, { subject: `Group/${group.id}`, planId, issued: '2024-06-01' });
}

function issueOf(
  t: any,
  res: FhirResponse,
  status: number,
): { expression: string; text: string; code: string } {
  t.equal(res.status, status, `status ${status}`);
  const [issue] = validFhir(t, res).issue;
  return { expression: issue.expression?.[0], text: issue.diagnostics, code: issue.details.coding[0].code };
}

/** The policy as its Contract and its Coverages show it. */
async function policyNow(t: any, contractId: string) {
  const policy = validFhir(t, await read(kinga, `Contract/${contractId}`));
  const covers = [...(await coveragesOf(t, kinga, contractId)).values()];
  return {
    contract: policy.status,
    exact: policyStatus(policy),
    account: account(policy),
    coverages: [...new Set(covers.map((c: any) => c.status))],
    coverageAccounts: covers.map((c: any) => account(c)),
    effective: [...new Set(covers.map((c: any) => extensionValue(c, EXT.effectiveDate) ?? null))],
  };
}

t.test('partial, exact, over and reversed payments, as Contract and Coverage show them', async (t) => {
  const partial = await enrolled(t);
  const notice = await pay(t, kinga, { contractId: partial.id, amount: 30, date: '2024-06-05' });
  validFhir(t, await read(kinga, `PaymentNotice/${notice.id}`));
  t.match(await policyNow(t, partial.id), {
    contract: 'offered',
    exact: 'idle',
    account: { value: 100, paid: 30, balance: 70, credit: 0 },
    coverages: ['draft'],
    effective: [null],
  });

  const exact = await enrolled(t);
  await pay(t, kinga, { contractId: exact.id, amount: 100, date: '2024-05-20' });
  t.match(
    await policyNow(t, exact.id),
    {
      contract: 'executed',
      exact: 'active',
      account: { value: 100, paid: 100, balance: 0, credit: 0 },
      coverages: ['active'],
      effective: ['2024-06-01'],
    },
    'paid before the start: in force from the start',
  );

  const over = await enrolled(t);
  await pay(t, kinga, { contractId: over.id, amount: 60, date: '2024-06-03' });
  const second = await pay(t, kinga, { contractId: over.id, amount: 50, date: '2024-06-07' });
  const overNow = await policyNow(t, over.id);
  t.match(
    overNow,
    {
      contract: 'executed',
      exact: 'active',
      account: { value: 100, paid: 110, balance: 0, credit: 10 },
      coverages: ['active'],
      effective: ['2024-06-07'],
    },
    'the day payment was complete; the 10.00 beyond is kept as credit',
  );
  t.same(new Set(overNow.coverageAccounts.map((a) => JSON.stringify(a))).size, 1, 'every Coverage shows it');

  // The second payment bounces: 60.00 remain of 100.00.
  const reversed = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PaymentNotice/${second.id}`,
    body: { ...second, status: 'cancelled' },
  });
  t.equal(reversed.status, 200);
  const cancelled = validFhir(t, reversed);
  t.equal(cancelled.status, 'cancelled');
  t.same(cancelled.amount, second.amount, 'the payment itself is never edited');
  t.match(
    await policyNow(t, over.id),
    {
      contract: 'offered',
      exact: 'idle',
      account: { value: 100, paid: 60, balance: 40, credit: 0 },
      coverages: ['draft'],
      effective: [null],
    },
    'no longer paid in full: back to idle, cover withdrawn',
  );

  const ledger = validFhir(
    t,
    await read(kinga, `PaymentNotice?request=Contract/${over.id}&_sort=payment-date`),
  );
  const entries = ledger.entry.map((e: any) => e.resource);
  t.same(
    entries.map((n: any) => [n.amount.value, extensionValue(n, EXT.kind).code, n.status]),
    [
      [60, 'payment', 'active'],
      [50, 'payment', 'cancelled'],
      [-50, 'reversal', 'active'],
    ],
  );
  const reversal = entries[2];
  t.same(extensionValue(reversal, EXT.counterpart), { reference: `PaymentNotice/${second.id}` });
  t.same(extensionValue(cancelled, EXT.counterpart), { reference: `PaymentNotice/${reversal.id}` });
  t.same(reversal.identifier[0], second.identifier[0], 'the reversal carries the receipt it reverses');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: kinga.config.SCHEME_TIME_ZONE }).format(
    new Date(),
  );
  t.equal(reversal.paymentDate, today, 'dated the day it was recorded');

  const again = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PaymentNotice/${second.id}`,
    body: { ...cancelled },
  });
  t.equal(again.status, 200, 'cancelling again changes nothing');
  t.equal(validFhir(t, again).meta.versionId, cancelled.meta.versionId);
  const back = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PaymentNotice/${second.id}`,
    body: { ...cancelled, status: 'active' },
  });
  t.equal(issueOf(t, back, 422).code, 'payment-notice.reversal-final');
  const ofReversal = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PaymentNotice/${reversal.id}`,
    body: { ...reversal, status: 'cancelled' },
  });
  t.equal(issueOf(t, ofReversal, 422).code, 'policy.premium-not-reversible');
});

t.test('a receipt is unique per product: 409 naming PaymentNotice.identifier', async (t) => {
  const policy = await enrolled(t);
  const receipt = unique('R');
  await pay(t, kinga, { contractId: policy.id, amount: 10, date: '2024-06-02', receipt });
  const sameProduct = await enrolled(t);
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/PaymentNotice',
    body: noticeBody(kinga, { contractId: sameProduct.id, amount: 10, date: '2024-06-02', receipt }),
  });
  const issue = issueOf(t, res, 409);
  t.equal(issue.expression, 'PaymentNotice.identifier');
  t.equal(issue.code, 'policy.receipt-duplicate');
  t.same(account(validFhir(t, await read(kinga, `Contract/${sameProduct.id}`))).paid, 0, 'nothing recorded');

  const otherProduct = await enrolled(
    t,
    (await product(t, kinga, { premiumAdult: 40, premiumChild: 20 })).id,
  );
  const elsewhere = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/PaymentNotice',
    body: noticeBody(kinga, { contractId: otherProduct.id, amount: 10, date: '2024-06-02', receipt }),
  });
  t.equal(elsewhere.status, 201, 'the same receipt under another product');
  validFhir(t, elsewhere);
});

t.test("openIMIS's PaymentNotice examples are refused: they pay an Invoice, not a policy", async (t) => {
  for (const path of [
    '../fixtures/openimis/payment-notice-example-1.json',
    '../fixtures/payments/openimis-fhir-PaymentNotice.test.json',
  ]) {
    const body = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
    const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/PaymentNotice', body });
    const issue = issueOf(t, res, 422);
    t.equal(issue.expression, 'PaymentNotice.request.reference', path);
    t.match(issue.text, /must point to Contract, not to Invoice/);
    t.match(issue.text, /Kinga keeps no invoices/);
  }
  const stored = await read(kinga, 'PaymentNotice?payment-date=2022-05-17');
  t.same(ids(t, stored), [], 'nothing recorded');
});

t.test('what a premium must say', async (t) => {
  const policy = await enrolled(t);
  const valid = noticeBody(kinga, { contractId: policy.id, amount: 10, date: '2024-06-02' });
  const cases: [string, Record<string, unknown>, number, string | RegExp, RegExp][] = [
    [
      'sent only',
      {
        paymentStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/paymentstatus', code: 'paid' }],
        },
      },
      422,
      'PaymentNotice.paymentStatus',
      /has received \(cleared\)/,
    ],
    [
      'in USD',
      { amount: { value: 10, currency: 'USD' } },
      422,
      'PaymentNotice.amount.currency',
      /scheme's currency/,
    ],
    ['cancelled from the start', { status: 'cancelled' }, 422, 'PaymentNotice.status', /recorded active/],
    ['without a receipt', { identifier: undefined }, 422, 'PaymentNotice.identifier', /receipt number/],
    [
      'a negative amount',
      { amount: { value: -5, currency: kinga.config.CURRENCY } },
      422,
      'PaymentNotice.amount',
      /positive amount/,
    ],
    ['without a payment date', { paymentDate: undefined }, 422, 'PaymentNotice.paymentDate', /required/i],
    [
      'for no policy',
      { request: { reference: `Contract/${randomUUID()}` } },
      422,
      'PaymentNotice.request',
      /does not exist/,
    ],
    [
      'by an unknown means',
      {
        extension: [
          { url: EXT.payType, valueCodeableConcept: { coding: [{ system: SYSTEM.payType, code: 'X' }] } },
        ],
      },
      422,
      /^PaymentNotice\.extension\[0\]\.valueCodeableConcept/,
      /'X' is not an accepted code/,
    ],
  ];
  for (const [label, change, status, expression, message] of cases) {
    const res = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/PaymentNotice',
      body: { ...valid, ...change },
    });
    const issue = issueOf(t, res, status);
    t.match(issue.expression, expression, label);
    t.match(issue.text, message, label);
  }
  t.same(account(validFhir(t, await read(kinga, `Contract/${policy.id}`))).paid, 0, 'none was recorded');
});

t.test('a recorded premium is never edited nor deleted', async (t) => {
  const policy = await enrolled(t);
  const notice = await pay(t, kinga, { contractId: policy.id, amount: 10, date: '2024-06-02' });
  const put = (body: unknown) =>
    kinga.fhir({ method: 'PUT', url: `/fhir/R4/PaymentNotice/${notice.id}`, body });
  t.equal((await put(notice)).status, 200, 'the same content: nothing to do');
  const edits: [string, Record<string, unknown>, string][] = [
    ['amount', { amount: { value: 11, currency: kinga.config.CURRENCY } }, 'PaymentNotice.amount'],
    ['paymentDate', { paymentDate: '2024-06-03' }, 'PaymentNotice.paymentDate'],
    [
      'identifier',
      { identifier: [{ system: SYSTEM.receipt, value: unique('R') }] },
      'PaymentNotice.identifier',
    ],
  ];
  for (const [element, change, expression] of edits) {
    const issue = issueOf(t, await put({ ...notice, ...change }), 422);
    t.equal(issue.code, 'payment-notice.immutable', element);
    t.equal(issue.expression, expression);
  }
  const removed = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/PaymentNotice/${notice.id}` });
  t.match(issueOf(t, removed, 405).text, /status to cancelled/);
  t.equal(validFhir(t, await read(kinga, `PaymentNotice/${notice.id}`)).status, 'active');
});

t.test('PaymentNotice search parameters', async (t) => {
  const plan = await product(t, kinga, { premiumAdult: 40, premiumChild: 20 });
  const a = await enrolled(t, plan.id);
  const b = await enrolled(t, plan.id);
  const first = await pay(t, kinga, { contractId: a.id, amount: 10, date: '2024-06-02' });
  const second = await pay(t, kinga, { contractId: a.id, amount: 20, date: '2024-06-09' });
  const third = await pay(t, kinga, { contractId: b.id, amount: 30, date: '2024-06-09' });
  const reversed = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PaymentNotice/${first.id}`,
    body: { ...first, status: 'cancelled' },
  });
  t.equal(validFhir(t, reversed).status, 'cancelled');
  const search = async (query: string) => {
    const res = await read(kinga, `PaymentNotice?${query}`);
    t.equal(res.status, 200, query);
    validFhir(t, res);
    return ids(t, res);
  };
  const ofA = await search(`request=Contract/${a.id}`);
  t.equal(ofA.length, 3, 'two payments and a reversal');
  const reversalId = ofA.find((id) => id !== first.id && id !== second.id)!;
  t.same(
    await search(`identifier=${first.identifier[0].value}`).then((r) => r.sort()),
    [first.id, reversalId].sort(),
  );
  t.same(await search(`identifier=${SYSTEM.receipt}|${third.identifier[0].value}`), [third.id]);
  t.same(await search(`identifier=${second.id}`), [second.id], 'by UUID');
  t.same(await search(`request=Contract/${a.id}&status=cancelled`), [first.id]);
  t.same((await search(`request=Contract/${a.id}&status=active`)).sort(), [second.id, reversalId].sort());
  t.same((await search(`request=Contract/${a.id}&payment-status=cleared`)).length, 3);
  t.same(await search(`request=Contract/${a.id}&payment-status=paid`), []);
  t.same(
    (await search(`request=Contract/${b.id},Contract/${a.id}&payment-date=2024-06-09`)).sort(),
    [second.id, third.id].sort(),
  );
  t.same(await search(`request=Contract/${b.id}&created=ge${third.created}`), [third.id]);
  t.same(await search(`request=Contract/${b.id}&created=lt${third.created}`), []);
  // The reversal and the payment it cancels changed last (in one transaction, the reversal first).
  const reversalNow = validFhir(t, await read(kinga, `PaymentNotice/${reversalId}`));
  t.same(
    (await search(`request=Contract/${a.id}&_lastUpdated=ge${reversalNow.meta.lastUpdated}`)).sort(),
    [first.id, reversalId].sort(),
  );
  const included = await read(kinga, `PaymentNotice?_id=${third.id}&_include=PaymentNotice:request`);
  t.same(
    validFhir(t, included)
      .entry.map((e: any) => `${e.resource.resourceType}/${e.resource.id}`)
      .sort(),
    [`Contract/${b.id}`, `PaymentNotice/${third.id}`],
  );
});
