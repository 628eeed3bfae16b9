import { randomUUID } from 'node:crypto';
import t from 'tap';
import { addMemberToPolicy } from '../../src/domain/policy/add-member-to-policy.ts';
import { policyRulesFrom } from '../../src/domain/policy/policy-rules.ts';
import { Policy, type PolicyStatus } from '../../src/domain/policy/policy.entity.ts';
import { inTransaction } from '../../src/platform/database/unit-of-work.ts';
import { buildTestApp, unique, validFhir, type TestApp } from '../helpers/test-app.ts';
import {
  account,
  contract,
  coveragesOf,
  EXT,
  extensionValue,
  family,
  groupBody,
  IG,
  ids,
  pay,
  person,
  policyStatus,
  product,
  read,
  SYSTEM,
  createdValid,
} from '../helpers/policy-api.ts';

const kinga = await buildTestApp(t);

/** What the sweeps do to a policy (expirePolicies, suspendUnpaidPolicies), done to this one only. */
async function settle(app: TestApp, policyId: string, status: PolicyStatus): Promise<void> {
  await inTransaction(app.database.orm.em.fork(), { actor: 'test' }, async (em) => {
    const policy = await em.findOneOrFail(Policy, policyId);
    policy.settleTo({ status, effectiveDate: status === 'expired' ? (policy.effectiveDate ?? null) : null });
  });
}

const codeOf = (plan: any): string => plan.identifier.find((i: any) => i.system === SYSTEM.productCode).value;

async function firstInsurerId(): Promise<string | undefined> {
  const { rows } = await kinga.database.pool.query<{ id: string }>(
    "select id from organisation where kind = 'insurer' and deleted_at is null order by created_at limit 1",
  );
  return rows[0]?.id;
}

t.test(
  'one Coverage per member: the member, the head who holds the policy, the product, the money',
  async (t) => {
    const plan = await product(t, kinga, { premiumAdult: 40, premiumChild: 20 });
    const head = await person(t, kinga, '1980-01-01');
    const spouse = await createdValid(t, kinga, 'Patient', {
      resourceType: 'Patient',
      identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: unique('N') }],
      name: [{ family: 'Kimaro', given: ['Rehema'] }],
      birthDate: '1982-01-01',
      extension: [
        {
          url: 'https://kinga.health/fhir/StructureDefinition/relationship-to-head',
          valueCodeableConcept: {
            coding: [{ system: `${IG}/CodeSystem/patient-contact-relationship`, code: '8' }],
          },
        },
      ],
    });
    const child = await person(t, kinga, '2015-01-01');
    const group = await createdValid(
      t,
      kinga,
      'Group',
      groupBody([head, spouse, child].map((p) => `Patient/${p.id}`)),
    );
    const insurerBefore = await firstInsurerId();
    // 2 adults × 40.00 + 1 child × 20.00 = 100.00
    const policy = await contract(t, kinga, {
      subject: `Group/${group.id}`,
      planId: plan.id,
      issued: '2024-06-01',
    });
    const covers = await coveragesOf(t, kinga, policy.id);
    t.same([...covers.keys()].sort(), [head, spouse, child].map((p) => `Patient/${p.id}`).sort());

    const res = await read(kinga, `Coverage/${covers.get(`Patient/${spouse.id}`).id}`);
    t.equal(res.status, 200);
    const coverage = validFhir(t, res);
    t.same(coverage.meta.profile, ['https://kinga.health/fhir/StructureDefinition/kinga-coverage']);
    t.equal(coverage.status, 'draft', 'not paid yet: not in force');
    t.same(coverage.beneficiary, { reference: `Patient/${spouse.id}` });
    t.same(coverage.subscriber, { reference: `Patient/${head.id}` });
    t.same(coverage.policyHolder, { reference: `Patient/${head.id}` });
    t.equal(coverage.subscriberId, head.identifier[0].value);
    t.equal(coverage.relationship.coding[0].code, 'spouse');
    t.same(coverage.period, { start: '2024-06-01', end: '2025-05-31' });
    t.same(coverage.class, [
      {
        type: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan', display: 'Plan' },
          ],
        },
        value: codeOf(plan),
        name: plan.name,
      },
    ]);
    t.same(extensionValue(coverage, EXT.insurancePlan), { reference: `InsurancePlan/${plan.id}` });
    t.same(coverage.contract, [{ reference: `Contract/${policy.id}` }]);
    t.same(
      coverage.identifier.map((i: any) => [i.system ?? i.type.coding[0].code, i.value]),
      [
        [kinga.config.INSURANCE_NUMBER_SYSTEM, spouse.identifier[0].value],
        [SYSTEM.policy, policy.id],
        ['UUID', coverage.id],
      ],
    );
    t.equal(extensionValue(coverage, EXT.stage).code, 'N');
    t.equal(extensionValue(coverage, EXT.enrolmentDate), '2024-06-01');
    t.notOk(extensionValue(coverage, EXT.effectiveDate), 'not covered yet');
    t.same(account(coverage), { value: 100, paid: 0, balance: 100, credit: 0 });
    const insurer = await firstInsurerId();
    if (insurer && insurer === insurerBefore) {
      t.equal(coverage.payor[0].reference, `Organization/${insurer}`, "the scheme's insurer pays");
    } else if (!insurer) {
      t.same(Object.keys(coverage.payor[0]), ['display'], 'no insurer registered: a payor by name only');
    }

    const payment = await pay(t, kinga, { contractId: policy.id, amount: 100, date: '2024-06-10' });
    const paid = validFhir(t, await read(kinga, `Coverage/${coverage.id}`));
    t.equal(paid.status, 'active');
    t.equal(extensionValue(paid, EXT.effectiveDate), '2024-06-10', 'the later of payment and start');
    t.same(account(paid), { value: 100, paid: 100, balance: 0, credit: 0 });
    t.ok(
      Number(paid.meta.versionId) > Number(coverage.meta.versionId),
      'the premium published a new version',
    );
    const history = validFhir(t, await read(kinga, `Coverage/${coverage.id}/_history`));
    t.same(
      history.entry.map((e: any) => e.resource.status),
      ['active', ...history.entry.slice(1).map(() => 'draft')],
      'its history keeps the unpaid versions',
    );
    t.ok(payment.id);
  },
);

t.test('Coverage.status and Contract.status for every policy status', async (t) => {
  const manual = await buildTestApp(t, { POLICY_ACTIVATION: 'manual' });
  const enrolled = async (app: TestApp, paid: boolean) => {
    const plan = await product(t, app, { premiumAdult: 40 });
    const { group, members } = await family(t, app, ['1980-01-01']);
    const policy = await contract(t, app, {
      subject: `Group/${group.id}`,
      planId: plan.id,
      issued: '2024-06-01',
    });
    if (paid) {
      await pay(t, app, { contractId: policy.id, amount: 40, date: '2024-06-01' });
    }
    return { policy, head: members[0], group, plan };
  };
  const idle = await enrolled(kinga, false);
  const ready = await enrolled(manual, true);
  const active = await enrolled(kinga, true);
  const suspended = await enrolled(kinga, false);
  await settle(kinga, suspended.policy.id, 'suspended');
  const expired = await enrolled(kinga, true);
  await settle(kinga, expired.policy.id, 'expired');

  // A member who joined the active family on 2024-07-01 is covered once their 40.00 is paid.
  const joining = await enrolled(kinga, true);
  const newcomer = await person(t, kinga, '1990-01-01');
  // The family admits the newcomer; its 2024 policy is not running today, so the member is put on
  // it as the officer's app would, joining on 2024-07-01.
  const admitted = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Group/${joining.group.id}`,
    body: { ...groupBody([`Patient/${joining.head.id}`, `Patient/${newcomer.id}`]), id: joining.group.id },
  });
  t.equal(validFhir(t, admitted).quantity, 2);
  await inTransaction(kinga.database.orm.em.fork(), { actor: 'test' }, (em) =>
    addMemberToPolicy(
      em,
      { policyId: joining.policy.id, insureeId: newcomer.id, joinDate: '2024-07-01' },
      policyRulesFrom(kinga.config),
    ),
  );

  const table: [string, TestApp, any, string, string, string][] = [
    ['idle', kinga, idle, 'draft', 'idle', 'offered'],
    ['ready', manual, ready, 'draft', 'ready', 'executable'],
    ['active', kinga, active, 'active', 'active', 'executed'],
    ['suspended', kinga, suspended, 'cancelled', 'suspended', 'disputed'],
    ['expired', kinga, expired, 'cancelled', 'expired', 'terminated'],
    ['active, the head', kinga, joining, 'active', 'active', 'executed'],
  ];
  for (const [label, app, { policy, head, plan }, coverageStatus, exact, contractStatus] of table) {
    const coverage = (await coveragesOf(t, app, policy.id)).get(`Patient/${head.id}`);
    t.equal(coverage.status, coverageStatus, `${label}: Coverage.status`);
    t.equal(policyStatus(coverage), exact, `${label}: the exact status`);
    const read = validFhir(t, await app.fhir({ method: 'GET', url: `/fhir/R4/Contract/${policy.id}` }));
    t.equal(read.status, contractStatus, `${label}: Contract.status`);
    t.equal(policyStatus(read), exact);
    const found = await app.fhir({
      method: 'GET',
      url: `/fhir/R4/Coverage?class-value=${codeOf(plan)}&status=${coverageStatus}`,
    });
    t.same(ids(t, found), [coverage.id], `${label}: found by status ${coverageStatus}`);
    const byExact = await app.fhir({
      method: 'GET',
      url: `/fhir/R4/Coverage?class-value=${codeOf(plan)}&policy-status=${exact}&beneficiary=${head.id}`,
    });
    t.same(ids(t, byExact), [coverage.id], `${label}: found by policy status ${exact}`);
  }
  // The officer activates the ready policy: its Contract sent back as executed.
  const readyContract = validFhir(t, await read(manual, `Contract/${ready.policy.id}`));
  const activated = await manual.fhir({
    method: 'PUT',
    url: `/fhir/R4/Contract/${ready.policy.id}`,
    body: { ...readyContract, status: 'executed' },
  });
  t.equal(activated.status, 200);
  t.equal(policyStatus(validFhir(t, activated)), 'active', 'activated by hand');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: manual.config.SCHEME_TIME_ZONE }).format(
    new Date(),
  );
  const readyCover = (await coveragesOf(t, manual, ready.policy.id)).get(`Patient/${ready.head.id}`);
  t.equal(readyCover.status, 'active');
  t.equal(extensionValue(readyCover, EXT.effectiveDate), today, 'in force from the day it was activated');

  const waiting = (await coveragesOf(t, kinga, joining.policy.id)).get(`Patient/${newcomer.id}`);
  validFhir(t, await read(kinga, `Coverage/${waiting.id}`));
  t.equal(waiting.status, 'draft', 'active policy, new member not paid for: draft');
  t.equal(policyStatus(waiting), 'active');
  t.same(account(waiting), { value: 80, paid: 40, balance: 40, credit: 0 });
  t.same(waiting.period, { start: '2024-07-01', end: '2025-05-31' }, 'from the day they joined');
});

t.test('Coverage is published, never written: 405 naming where cover comes from', async (t) => {
  const plan = await product(t, kinga, { premiumAdult: 40 });
  const { group, members } = await family(t, kinga, ['1980-01-01']);
  const policy = await contract(t, kinga, {
    subject: `Group/${group.id}`,
    planId: plan.id,
    issued: '2024-06-01',
  });
  const coverage = (await coveragesOf(t, kinga, policy.id)).get(`Patient/${members[0].id}`);
  const body = {
    resourceType: 'Coverage',
    status: 'active',
    beneficiary: { reference: `Patient/${members[0].id}` },
    payor: [{ reference: `Patient/${members[0].id}` }],
  };
  const attempts = [
    await kinga.fhir({ method: 'POST', url: '/fhir/R4/Coverage', body }),
    await kinga.fhir({
      method: 'PUT',
      url: `/fhir/R4/Coverage/${coverage.id}`,
      body: { ...body, id: coverage.id },
    }),
    await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Coverage/${coverage.id}` }),
  ];
  for (const res of attempts) {
    t.equal(res.status, 405);
    const issue = validFhir(t, res).issue[0];
    t.equal(issue.details.coding[0].code, 'fhir.interaction-not-supported');
    t.match(
      issue.diagnostics,
      /derived from the policies: enrol with a Contract, then pay with PaymentNotice/,
    );
  }
  const still = validFhir(t, await read(kinga, `Coverage/${coverage.id}`));
  t.equal(still.status, 'draft');
  t.equal(still.meta.versionId, coverage.meta.versionId, 'unchanged');
});

t.test('Coverage search parameters', async (t) => {
  const plan = await product(t, kinga, { premiumAdult: 40 });
  const code = codeOf(plan);
  const a = await family(t, kinga, ['1980-01-01', '1985-01-01']);
  const b = await family(t, kinga, ['1970-01-01']);
  const policyA = await contract(t, kinga, {
    subject: `Group/${a.group.id}`,
    planId: plan.id,
    issued: '2024-06-01',
  });
  const policyB = await contract(t, kinga, {
    subject: `Group/${b.group.id}`,
    planId: plan.id,
    issued: '2024-09-15',
  });
  await pay(t, kinga, { contractId: policyB.id, amount: 40, date: '2024-09-15' });
  const coversA = await coveragesOf(t, kinga, policyA.id);
  const headA = coversA.get(`Patient/${a.members[0].id}`);
  const spouseA = coversA.get(`Patient/${a.members[1].id}`);
  const headB = (await coveragesOf(t, kinga, policyB.id)).get(`Patient/${b.members[0].id}`);
  const search = async (query: string) => {
    const res = await read(kinga, `Coverage?${query}`);
    t.equal(res.status, 200, query);
    validFhir(t, res);
    return ids(t, res).sort();
  };
  const all = [headA.id, spouseA.id, headB.id].sort();
  t.same(await search(`class-value=${code}`), all);
  t.same(await search(`beneficiary=Patient/${a.members[1].id}`), [spouseA.id]);
  t.same(await search(`patient=${a.members[1].id}`), [spouseA.id]);
  t.same(await search(`subscriber=Patient/${a.members[0].id}`), [headA.id, spouseA.id].sort());
  t.same(await search(`policy-holder=Patient/${b.members[0].id}`), [headB.id]);
  t.same(await search(`identifier=${a.members[1].identifier[0].value}`), [spouseA.id], 'by insurance number');
  t.same(await search(`identifier=${SYSTEM.policy}|${policyA.id}`), [headA.id, spouseA.id].sort());
  t.same(await search(`identifier=${headB.id}`), [headB.id], 'by UUID');
  t.same(await search(`contract=Contract/${policyB.id}`), [headB.id]);
  t.same(await search(`class-value=${code}&status=active`), [headB.id]);
  t.same(await search(`class-value=${code}&status=draft`), [headA.id, spouseA.id].sort());
  t.same(await search(`class-value=${code}&period-start=ge2024-09-01`), [headB.id]);
  t.same(await search(`class-value=${code}&period-end=lt2025-06-01`), [headA.id, spouseA.id].sort());
  t.same(
    await search(`class-value=${code}&period-start=le2024-07-01&period-end=ge2024-07-01`),
    [headA.id, spouseA.id].sort(),
    'covered on 2024-07-01',
  );
  t.same(await search(`class-value=${code}&_lastUpdated=ge${headB.meta.lastUpdated}`), [headB.id]);
  t.same(await search(`payor=Organization/${randomUUID()}`), [], 'not a payor of anything');
  const insurer = await firstInsurerId();
  if (insurer) {
    t.same(
      await search(`class-value=${code}&payor=Organization/${insurer}`),
      all,
      'the insurer pays for all',
    );
  }
  const included = await read(kinga, `Coverage?_id=${headB.id}&_include=Coverage:beneficiary`);
  t.same(
    validFhir(t, included)
      .entry.map((e: any) => `${e.resource.resourceType}/${e.resource.id}`)
      .sort(),
    [`Coverage/${headB.id}`, `Patient/${b.members[0].id}`],
  );
});

t.test('a new head of family is published on the Coverages of its policies', async (t) => {
  const plan = await product(t, kinga, { premiumAdult: 40 });
  const { group, members } = await family(t, kinga, ['1960-01-01', '1985-01-01']);
  const policy = await contract(t, kinga, {
    subject: `Group/${group.id}`,
    planId: plan.id,
    issued: '2024-06-01',
  });
  const [oldHead, newHead] = members;
  const res = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Group/${group.id}`,
    body: {
      ...groupBody(members.map((m: any) => `Patient/${m.id}`)),
      id: group.id,
      identifier: [
        {
          type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] },
          value: newHead.identifier[0].value,
        },
      ],
    },
  });
  t.equal(res.status, 200);
  for (const coverage of (await coveragesOf(t, kinga, policy.id)).values()) {
    t.same(coverage.subscriber, { reference: `Patient/${newHead.id}` });
    t.equal(coverage.subscriberId, newHead.identifier[0].value);
  }
  const contractNow = validFhir(t, await read(kinga, `Contract/${policy.id}`));
  t.same(contractNow.term[0].offer.party[0].reference, [{ reference: `Patient/${newHead.id}` }]);
  t.not(oldHead.id, newHead.id);
});
