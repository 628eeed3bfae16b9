import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { buildTestApp, unique, validFhir, type FhirResponse } from '../helpers/test-app.ts';
import {
  account,
  contract,
  contractBody,
  coveragesOf,
  EXT,
  extensionValue,
  family,
  ids,
  pay,
  person,
  policyStatus,
  product,
  read,
  SYSTEM,
  createdValid,
  newOfficer,
} from '../helpers/policy-api.ts';

const kinga = await buildTestApp(t);

const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/openimis/${name}`, import.meta.url), 'utf8'));

/** The issue of an outcome and the element it names. */
function issueOf(
  t: any,
  res: FhirResponse,
  status: number,
): { expression: string; text: string; code: string } {
  t.equal(res.status, status, `status ${status}`);
  const outcome = validFhir(t, res);
  const [issue] = outcome.issue;
  return { expression: issue.expression?.[0], text: issue.diagnostics, code: issue.details.coding[0].code };
}

async function contractsOf(t: Test, groupId: string): Promise<string[]> {
  return ids(t, await read(kinga, `Contract?subject=Group/${groupId}`));
}

// Per head: 2 adults × 40.00 + 1 child × 20.00 = 100.00; free enrolment: starts on the enrolment date.
let perHead: any;
let officer: any;
t.test('the scheme: a per-head product and an enrolment officer', async (t) => {
  perHead = await product(t, kinga, { premiumAdult: 40, premiumChild: 20 });
  officer = await newOfficer(t, kinga);
});

t.test("openIMIS's Contract example is accepted: enrolment and its premium in one request", async (t) => {
  // The example's scheme counts in EUR (its premium says so); Kinga refuses other currencies.
  const eur = await buildTestApp(t, { CURRENCY: 'EUR' });
  const plan = await product(t, eur, { premiumAdult: 10000, from: '2020-01-01' });
  const eo = await newOfficer(t, eur);
  const head = await person(t, eur, '1975-03-10');
  const group = await createdValid(t, eur, 'Group', {
    resourceType: 'Group',
    type: 'person',
    actual: true,
    member: [{ entity: { reference: `Patient/${head.id}` } }],
  });
  const text = JSON.stringify(fixture('contract-example-1.json'))
    .replaceAll('e8bbb7e4-19ef-4bef-9342-9ab6b9a928d3', group.id)
    .replaceAll('ff7db42d-874b-400a-bba7-e59b273ae123', eo.id)
    .replaceAll('f8c56ada-d76d-4f6c-aad3-cfddc9fb38eb', head.id)
    .replaceAll('8ed8d2d9-2644-4d29-ba37-ab772386cfca', plan.id)
    .replaceAll('RE185', unique('RE'));
  const res = await eur.fhir({ method: 'POST', url: '/fhir/R4/Contract', body: JSON.parse(text) });
  t.equal(res.status, 201);
  const policy = validFhir(t, res);
  t.equal(policy.status, 'executed', 'paid in full with the enrolment: in force');
  t.equal(policyStatus(policy), 'active');
  t.same(account(policy), { value: 10000, paid: 10000, balance: 0, credit: 0 });
  t.equal(policy.issued, '2021-06-20', "openIMIS's enrolment date: the start of the period");
  const [asset] = policy.term[0].asset;
  t.same(asset.period, [{ start: '2021-06-20', end: '2022-06-19' }]);
  t.same(asset.usePeriod, [{ start: '2021-06-20', end: '2022-06-19' }]);
  t.same(asset.typeReference, [{ reference: `Patient/${head.id}` }]);
  t.equal(asset.valuedItem[0].net.value, 10000);
  t.same(policy.subject, [{ reference: `Group/${group.id}` }]);
  t.same(policy.author, { reference: `Practitioner/${eo.id}` });
  t.equal(policy.legalState.coding[0].code, 'offered');

  const notices = await eur.fhir({
    method: 'GET',
    url: `/fhir/R4/PaymentNotice?request=Contract/${policy.id}`,
  });
  const [notice] = validFhir(t, notices).entry.map((e: any) => e.resource);
  t.same(notice.amount, { value: 10000, currency: 'EUR' }, 'the premium is recorded');
  t.equal(notice.paymentDate, '2021-06-20');
  const coverage = (await coveragesOf(t, eur, policy.id)).get(`Patient/${head.id}`);
  t.equal(coverage.status, 'active');
});

t.test('the server computes value, dates and cover; what the Contract states is checked', async (t) => {
  const { group, members } = await family(t, kinga, ['1980-01-01', '1982-01-01', '2015-01-01']);
  const subject = `Group/${group.id}`;
  const everyone = members.map((m) => `Patient/${m.id}`);
  const base = { subject, planId: perHead.id, issued: '2024-06-01' };
  const asset = 'Contract.term.asset';
  const wrong: [string, Record<string, unknown>, string, RegExp][] = [
    ['a value of 99', { value: 99 }, `${asset}.valuedItem.net`, /value is 100.00, not 99/],
    ['a start a day late', { period: { start: '2024-06-02' } }, `${asset}.period.start`, /2024-06-01/],
    ['an expiry a year long', { period: { end: '2025-06-01' } }, `${asset}.period.end`, /2025-05-31/],
    [
      'an effective date while unpaid',
      { usePeriod: { start: '2024-06-01' } },
      `${asset}.usePeriod.start`,
      /not in force yet/,
    ],
    [
      'a member left out',
      { members: everyone.slice(0, 2) },
      `${asset}.typeReference`,
      /not the Patients listed/,
    ],
  ];
  for (const [label, stated, expression, message] of wrong) {
    const res = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/Contract',
      body: contractBody(kinga, { ...base, ...stated }),
    });
    const issue = issueOf(t, res, 422);
    t.equal(issue.expression, expression, `${label}: names the element`);
    t.match(issue.text, message, label);
  }
  t.same(await contractsOf(t, group.id), [], 'none of them stored a policy');

  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Contract',
    body: contractBody(kinga, {
      ...base,
      officerId: officer.id,
      value: 100,
      period: { start: '2024-06-01', end: '2025-05-31' },
      members: [...everyone].reverse(),
    }),
  });
  t.equal(res.status, 201, 'stated right, in any order of members');
  const policy = validFhir(t, res);
  t.equal(policy.status, 'offered', 'not paid: an offer');
  t.same(account(policy), { value: 100, paid: 0, balance: 100, credit: 0 });
  t.notOk(policy.term[0].asset[0].usePeriod, 'no use period before it is in force');
  t.same(policy.applies, { start: '2024-06-01', end: '2025-05-31' });
  t.same(policy.identifier[0], { use: 'official', system: SYSTEM.policy, value: policy.id });
  t.equal((await coveragesOf(t, kinga, policy.id)).size, 3, 'one Coverage per member');
});

t.test('without dates, the enrolment date is the scheme today', async (t) => {
  const { group } = await family(t, kinga, ['1990-01-01']);
  const policy = await contract(t, kinga, { subject: `Group/${group.id}`, planId: perHead.id });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: kinga.config.SCHEME_TIME_ZONE }).format(
    new Date(),
  );
  t.equal(policy.issued, today);
  t.equal(policy.applies.start, today);
});

t.test('a Patient as subject enrols its family; a Patient without one is refused', async (t) => {
  const { group, members } = await family(t, kinga, ['1990-01-01', '1992-01-01']);
  const policy = await contract(t, kinga, {
    subject: `Patient/${members[1].id}`,
    planId: perHead.id,
    issued: '2024-06-01',
  });
  t.same(policy.subject, [{ reference: `Group/${group.id}` }]);
  t.equal(policy.term[0].asset[0].typeReference.length, 2);

  const loner = await person(t, kinga);
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Contract',
    body: contractBody(kinga, { subject: `Patient/${loner.id}`, planId: perHead.id }),
  });
  const issue = issueOf(t, res, 422);
  t.equal(issue.expression, 'Contract.subject');
  t.match(issue.text, /belongs to no family/);
});

t.test('Contract.status: openIMIS capitals are read as R4 codes; only an offer is sent', async (t) => {
  const { group } = await family(t, kinga, ['1990-01-01']);
  const subject = `Group/${group.id}`;
  const offered = await contract(t, kinga, {
    subject,
    planId: perHead.id,
    issued: '2024-06-01',
    status: 'Offered',
  });
  t.equal(offered.status, 'offered');

  const other = await family(t, kinga, ['1990-01-01']);
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Contract',
    body: contractBody(kinga, { subject: `Group/${other.group.id}`, planId: perHead.id, status: 'executed' }),
  });
  const issue = issueOf(t, res, 422);
  t.equal(issue.expression, 'Contract.status');
  t.match(issue.text, /server sets the status from the payments/);
});

t.test('an unknown product, an officer who does not enrol, a premium in another currency', async (t) => {
  const { group } = await family(t, kinga, ['1990-01-01']);
  const subject = `Group/${group.id}`;
  const claimAdmin = await createdValid(t, kinga, 'Practitioner', {
    resourceType: 'Practitioner',
    identifier: [{ system: `${'https://kinga.health/fhir'}/NamingSystem/officer-code`, value: unique('CA') }],
    name: [{ family: 'Admin', given: ['Claims'] }],
    qualification: [
      {
        code: {
          coding: [
            {
              system: `${'https://openimis.github.io/openimis_fhir_r4_ig'}/CodeSystem/practitioner-qualification-type`,
              code: 'CA',
            },
          ],
        },
      },
    ],
  });
  const cases: [string, Record<string, unknown>, number, string][] = [
    ['unknown product', { planId: randomUUID() }, 422, 'Contract.term.asset.valuedItem.entityReference'],
    ['a claim administrator as author', { officerId: claimAdmin.id }, 422, 'Contract.author'],
    [
      'a premium in USD',
      { premiums: [{ amount: 100, date: '2024-06-01', currency: 'USD' }] },
      422,
      `Contract.term.asset.extension('${EXT.premium}').extension('amount').currency`,
    ],
  ];
  for (const [label, stated, status, expression] of cases) {
    const res = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/Contract',
      body: contractBody(kinga, { subject, planId: perHead.id, issued: '2024-06-01', ...stated }),
    });
    t.equal(issueOf(t, res, status).expression, expression, label);
  }
  t.same(await contractsOf(t, group.id), []);
});

t.test(
  'renewal: a Contract with legalState renewed continues the policy and carries its credit',
  async (t) => {
    const { group } = await family(t, kinga, ['1980-01-01']);
    const subject = `Group/${group.id}`;
    // One adult: 40.00; paid 50.00, so 10.00 of credit.
    const first = await contract(t, kinga, {
      subject,
      planId: perHead.id,
      issued: '2024-06-01',
      premiums: [{ amount: 50, date: '2024-06-01' }],
    });
    t.same(account(first), { value: 40, paid: 50, balance: 0, credit: 10 });

    const wrongPlan = await product(t, kinga, { premiumAdult: 40 });
    const refused = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/Contract',
      body: contractBody(kinga, {
        subject,
        planId: wrongPlan.id,
        issued: '2025-05-20',
        legalState: 'Renewed',
      }),
    });
    const issue = issueOf(t, refused, 422);
    t.equal(issue.expression, 'Contract.term.asset.valuedItem.entityReference');
    t.match(issue.text, /sold under product/);

    const renewal = await contract(t, kinga, {
      subject,
      planId: perHead.id,
      issued: '2025-05-20',
      legalState: 'Renewed',
      period: { start: '2025-06-01', end: '2026-05-31' },
    });
    t.equal(renewal.legalState.coding[0].code, 'renewed');
    t.equal(extensionValue(renewal, EXT.stage).code, 'R');
    t.same(extensionValue(renewal, EXT.renews), { reference: `Contract/${first.id}` });
    t.same(account(renewal), { value: 40, paid: 10, balance: 30, credit: 0 }, 'the credit pays part of it');
    const old = validFhir(t, await read(kinga, `Contract/${first.id}`));
    t.same(account(old), { value: 40, paid: 40, balance: 0, credit: 0 }, 'the credit left the old policy');

    const again = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/Contract',
      body: contractBody(kinga, { subject, planId: perHead.id, issued: '2025-05-21', renews: first.id }),
    });
    t.equal(issueOf(t, again, 409).code, 'policy.already-renewed');

    const stranger = await family(t, kinga, ['1980-01-01']);
    const foreign = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/Contract',
      body: contractBody(kinga, {
        subject: `Group/${stranger.group.id}`,
        planId: perHead.id,
        issued: '2025-05-21',
        renews: first.id,
      }),
    });
    t.equal(issueOf(t, foreign, 422).expression, `Contract.extension('${EXT.renews}')`);
  },
);

t.test(
  'a Contract sent again changes nothing; its terms cannot be edited; it is never deleted',
  async (t) => {
    const { group } = await family(t, kinga, ['1980-01-01']);
    const policy = await contract(t, kinga, {
      subject: `Group/${group.id}`,
      planId: perHead.id,
      issued: '2024-06-01',
      premiums: [{ amount: 10, date: '2024-06-02' }],
    });
    const put = (body: unknown) => kinga.fhir({ method: 'PUT', url: `/fhir/R4/Contract/${policy.id}`, body });

    const echo = await put(policy);
    t.equal(echo.status, 200);
    t.equal(validFhir(t, echo).meta.versionId, policy.meta.versionId, 'no new version');

    const raised = structuredClone(policy);
    raised.term[0].asset[0].valuedItem[0].net.value = 120;
    t.equal(issueOf(t, await put(raised), 422).expression, 'Contract.term.asset.valuedItem.net');

    const otherPlan = structuredClone(policy);
    otherPlan.term[0].asset[0].valuedItem[0].entityReference = { reference: `InsurancePlan/${randomUUID()}` };
    t.match(issueOf(t, await put(otherPlan), 422).text, /product is set when it is issued/);

    const morePaid = structuredClone(policy);
    morePaid.term[0].asset[0].extension.push({
      url: EXT.premium,
      extension: [
        { url: 'amount', valueMoney: { value: 5, currency: kinga.config.CURRENCY } },
        { url: 'date', valueDate: '2024-06-03' },
        { url: 'receipt', valueString: unique('R') },
      ],
    });
    t.match(issueOf(t, await put(morePaid), 422).text, /record further premiums with PaymentNotice/);

    const ended = { ...policy, status: 'terminated' };
    const refused = issueOf(t, await put(ended), 422);
    t.equal(refused.expression, 'Contract.status');
    t.match(refused.text, /status follows the payments \(now offered\)/);

    const removed = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Contract/${policy.id}` });
    const refusal = issueOf(t, removed, 405);
    t.equal(refusal.code, 'fhir.interaction-not-supported');
    t.match(refusal.text, /never deleted: it ends when it expires/);
    t.equal((await read(kinga, `Contract/${policy.id}`)).status, 200);
  },
);

t.test('Contract search: identifier, subject, patient, status, issued, author, insurance-plan', async (t) => {
  const plan = await product(t, kinga, { premiumAdult: 40 });
  const eo = await newOfficer(t, kinga);
  const paidFamily = await family(t, kinga, ['1980-01-01']);
  const unpaidFamily = await family(t, kinga, ['1981-01-01']);
  const unpaid = await contract(t, kinga, {
    subject: `Group/${unpaidFamily.group.id}`,
    planId: plan.id,
    issued: '2024-03-02',
  });
  const paid = await contract(t, kinga, {
    subject: `Group/${paidFamily.group.id}`,
    planId: plan.id,
    officerId: eo.id,
    issued: '2024-03-01',
  });
  await pay(t, kinga, { contractId: paid.id, amount: 40, date: '2024-03-01' });
  const planned = `insurance-plan=InsurancePlan/${plan.id}`;
  const search = async (query: string) => {
    const res = await read(kinga, `Contract?${query}`);
    t.equal(res.status, 200, query);
    validFhir(t, res);
    return ids(t, res).sort();
  };
  const both = [paid.id, unpaid.id].sort();
  t.same(await search(planned), both);
  t.same(await search(`identifier=${SYSTEM.policy}|${paid.id}`), [paid.id]);
  t.same(await search(`identifier=${unpaid.id}`), [unpaid.id]);
  t.same(await search(`subject=Group/${paidFamily.group.id}`), [paid.id]);
  t.same(await search(`patient=Patient/${unpaidFamily.members[0].id}`), [unpaid.id]);
  t.same(await search(`${planned}&status=executed`), [paid.id]);
  t.same(await search(`${planned}&status=offered`), [unpaid.id]);
  t.same(await search(`${planned}&policy-status=${SYSTEM.policyStatus}|idle`), [unpaid.id]);
  t.same(await search(`${planned}&policy-status=active`), [paid.id]);
  t.same(await search(`${planned}&issued=2024-03-02`), [unpaid.id]);
  t.same(await search(`${planned}&issued=lt2024-03-02`), [paid.id]);
  t.same(await search(`author=Practitioner/${eo.id}`), [paid.id]);
  const current = validFhir(t, await read(kinga, `Contract/${paid.id}`));
  t.same(await search(`${planned}&_lastUpdated=ge${current.meta.lastUpdated}`), [paid.id]);
  const included = await read(kinga, `Contract?_id=${paid.id}&_include=Contract:insurance-plan`);
  t.ok(
    validFhir(t, included).entry.some((e: any) => e.resource.resourceType === 'InsurancePlan'),
    '_include follows the product',
  );
});
