import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { buildTestApp, unique, validFhir, type FhirResponse, type TestApp } from '../helpers/test-app.ts';
import {
  account,
  contract,
  contractBody,
  coveragesOf,
  EXT,
  extensionValue,
  groupBody,
  ids,
  pay,
  patientBody,
  person,
  product,
  read,
  newOfficer,
  createdValid,
} from '../helpers/policy-api.ts';

const kinga = await buildTestApp(t);

const urn = () => `urn:uuid:${randomUUID()}`;

/**
 * One request enrolling a family: its Patients, its Group and its Contract, referring to each
 * other by urn:uuid. The Contract comes first and the Patients last, as a client may list them.
 */
function enrolmentBundle(
  app: TestApp,
  numbers: string[],
  planId: string,
  extra: { premium?: number; officerId?: string } = {},
): Record<string, any> {
  const people = numbers.map((number, i) => ({
    fullUrl: urn(),
    resource: patientBody(app, i === 0 ? '1980-01-01' : '2012-05-05', number),
  }));
  const group = { fullUrl: urn(), resource: groupBody(people.map((p) => p.fullUrl)) };
  const policy = contractBody(app, {
    subject: group.fullUrl,
    planId,
    issued: '2024-06-01',
    members: people.map((p) => p.fullUrl),
    ...(extra.officerId ? { officerId: extra.officerId } : {}),
    ...(extra.premium ? { premiums: [{ amount: extra.premium, date: '2024-06-01' }] } : {}),
  });
  const post = (type: string) => ({ method: 'POST', url: type });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: urn(), resource: policy, request: post('Contract') },
      { ...group, request: post('Group') },
      ...[...people].reverse().map((p) => ({ ...p, request: post('Patient') })),
    ],
  };
}

async function stored(t: Test, app: TestApp, numbers: string[]): Promise<number> {
  let total = 0;
  for (const number of numbers) {
    const res = await app.fhir({
      method: 'GET',
      url: `/fhir/R4/Patient?identifier=${number}&_summary=count`,
    });
    total += validFhir(t, res).total as number;
  }
  return total;
}

async function policiesOf(t: Test, planId: string): Promise<number> {
  const res = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Contract?insurance-plan=InsurancePlan/${planId}&_summary=count`,
  });
  return validFhir(t, res).total as number;
}

function refusal(t: any, res: FhirResponse, status: number): { expression: string; code: string } {
  t.equal(res.status, status, `status ${status}`);
  const [issue] = validFhir(t, res).issue;
  return { expression: issue.expression?.[0], code: issue.details.coding[0].code };
}

// Per head: adult 40.00, child 20.00.
let perHead: any;
t.test('the scheme: a per-head product for three members at most', async (t) => {
  perHead = await product(t, kinga, { premiumAdult: 40, premiumChild: 20, maxMembers: 3 });
});

t.test('a transaction Bundle enrols a family: Patients, Group and Contract in one request', async (t) => {
  const numbers = [unique('E'), unique('E')];
  const officer = await newOfficer(t, kinga);
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: enrolmentBundle(kinga, numbers, perHead.id, { premium: 60, officerId: officer.id }),
  });
  t.equal(res.status, 200);
  const bundle = validFhir(t, res);
  t.same(
    bundle.entry.map((e: any) => e.response.status),
    ['201 Created', '201 Created', '201 Created', '201 Created'],
  );
  const policyId = bundle.entry[0].response.location.split('/')[1];
  const groupId = bundle.entry[1].response.location.split('/')[1];
  const policy = validFhir(t, await read(kinga, `Contract/${policyId}`));
  t.same(policy.subject, [{ reference: `Group/${groupId}` }], 'the urn:uuid became the new Group');
  t.equal(policy.status, 'executed', 'adult 40.00 + child 20.00 = 60.00, paid with the enrolment');
  t.same(account(policy), { value: 60, paid: 60, balance: 0, credit: 0 });
  const covers = await coveragesOf(t, kinga, policyId);
  t.equal(covers.size, 2);
  for (const coverage of covers.values()) {
    validFhir(t, await read(kinga, `Coverage/${coverage.id}`));
    t.equal(coverage.status, 'active');
    t.equal(extensionValue(coverage, EXT.effectiveDate), '2024-06-01');
  }
  t.equal(await stored(t, kinga, numbers), 2);
});

t.test('a bad enrolment is a 4xx OperationOutcome and stores nothing', async (t) => {
  const taken = await person(t, kinga);
  const before = await policiesOf(t, perHead.id);
  const cases: [string, (numbers: string[]) => Record<string, any>, number, string, string][] = [
    [
      'an unknown product',
      (numbers) => enrolmentBundle(kinga, numbers, randomUUID()),
      422,
      'policy.product-not-found',
      'Bundle.entry[0].resource.term.asset.valuedItem.entityReference',
    ],
    [
      'a duplicate insurance number',
      (numbers) => enrolmentBundle(kinga, [numbers[0]!, taken.identifier[0].value], perHead.id),
      409,
      'insuree.insurance-number-duplicate',
      'Bundle.entry[2].resource.identifier',
    ],
    [
      'a family over the product’s 3 members',
      (numbers) => enrolmentBundle(kinga, [...numbers, unique('E'), unique('E')], perHead.id),
      422,
      'policy.family-too-large',
      'Bundle.entry[0].resource.term.asset.typeReference',
    ],
  ];
  for (const [label, bundle, status, code, expression] of cases) {
    const numbers = [unique('E'), unique('E')];
    const body = bundle(numbers);
    const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4', body });
    const issue = refusal(t, res, status);
    t.equal(issue.code, code, label);
    t.equal(issue.expression, expression, label);
    const sent = body.entry
      .filter((e: any) => e.resource.resourceType === 'Patient')
      .map((e: any) => e.resource.identifier[0].value)
      .filter((n: string) => n !== taken.identifier[0].value);
    t.equal(await stored(t, kinga, sent), 0, `${label}: no Patient stored`);
  }
  t.equal(await stored(t, kinga, [taken.identifier[0].value]), 1, 'the earlier Patient is untouched');
  t.equal(await policiesOf(t, perHead.id), before, 'no Contract stored');
});

t.test('when numbers must come from pre-printed cards, only an allocated number enrols', async (t) => {
  const strict = await buildTestApp(t, { INSURANCE_NUMBER_REQUIRE_ALLOCATION: 'true' });
  const plan = await product(t, strict, { premiumAdult: 40, premiumChild: 20 });
  const officer = await newOfficer(t, strict);
  const block = await strict.fhir({
    method: 'POST',
    url: `/fhir/R4/Practitioner/${officer.id}/$allocate-insurance-numbers`,
    body: { resourceType: 'Parameters', parameter: [{ name: 'count', valueInteger: 2 }] },
  });
  t.equal(block.status, 200);
  const allocated = validFhir(t, block)
    .parameter.filter((p: any) => p.name === 'number')
    .map((p: any) => p.valueIdentifier.value);

  const loose = [allocated[0], unique('9')];
  const refused = await strict.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: enrolmentBundle(strict, loose, plan.id, { officerId: officer.id }),
  });
  const issue = refusal(t, refused, 422);
  t.equal(issue.code, 'insuree.insurance-number-not-allocated');
  t.equal(issue.expression, 'Bundle.entry[2].resource.identifier');
  t.equal(await stored(t, strict, loose), 0, 'nothing stored, not even the allocated number');

  const accepted = await strict.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: enrolmentBundle(strict, allocated, plan.id, { officerId: officer.id }),
  });
  t.equal(accepted.status, 200);
  validFhir(t, accepted);
  t.equal(await stored(t, strict, allocated), 2);
});

t.test('a member who joins an active family is covered once their extra premium is paid', async (t) => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: kinga.config.SCHEME_TIME_ZONE }).format(
    new Date(),
  );
  const plan = await product(t, kinga, { premiumAdult: 40, premiumChild: 20 });
  const head = await person(t, kinga, '1980-01-01');
  const group = await createdValid(t, kinga, 'Group', groupBody([`Patient/${head.id}`]));
  const policy = await contract(t, kinga, {
    subject: `Group/${group.id}`,
    planId: plan.id,
    issued: today,
    premiums: [{ amount: 40, date: today }],
  });
  t.equal(policy.status, 'executed');

  const newcomer = await person(t, kinga, '1985-01-01');
  const put = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Group/${group.id}`,
    body: { ...groupBody([`Patient/${head.id}`, `Patient/${newcomer.id}`]), id: group.id },
  });
  t.equal(put.status, 200);
  validFhir(t, put);

  const waiting = (await coveragesOf(t, kinga, policy.id)).get(`Patient/${newcomer.id}`);
  t.ok(waiting, 'the newcomer has a Coverage');
  validFhir(t, await read(kinga, `Coverage/${waiting.id}`));
  t.equal(waiting.status, 'draft', 'not covered before their premium is paid');
  t.same(account(waiting), { value: 80, paid: 40, balance: 40, credit: 0 }, 'the extra 40.00 is owed');
  t.same(waiting.period, { start: today, end: policy.applies.end });
  const headCover = (await coveragesOf(t, kinga, policy.id)).get(`Patient/${head.id}`);
  t.equal(headCover.status, 'active', 'the head stays covered');
  const stillActive = validFhir(t, await read(kinga, `Contract/${policy.id}`));
  t.equal(stillActive.status, 'executed');
  t.equal(stillActive.term[0].asset[0].typeReference.length, 2);

  await pay(t, kinga, { contractId: policy.id, amount: 40, date: today });
  const covered = (await coveragesOf(t, kinga, policy.id)).get(`Patient/${newcomer.id}`);
  t.equal(covered.status, 'active');
  t.equal(extensionValue(covered, EXT.effectiveDate), today);
  t.same(account(covered), { value: 80, paid: 80, balance: 0, credit: 0 });

  const again = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Group/${group.id}`,
    body: { ...groupBody([`Patient/${head.id}`, `Patient/${newcomer.id}`]), id: group.id },
  });
  t.equal(again.status, 200);
  t.equal((await coveragesOf(t, kinga, policy.id)).size, 2, 'sending the family again adds no one');
  t.same(ids(t, await read(kinga, `Coverage?beneficiary=${newcomer.id}`)), [covered.id]);
});
