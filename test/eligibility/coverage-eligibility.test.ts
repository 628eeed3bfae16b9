import t from 'tap';
import { buildTestApp } from '../helpers/test-app.ts';
import type { PriceList } from '../../src/domain/medical/price-list.entity.ts';
import {
  cover,
  facilityWithPrices,
  insureAgain,
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
  EXT,
  insuranceOf,
  packageBenefit,
} from './eligibility-fixtures.ts';

const kinga = await buildTestApp(t);
const db = kinga.database;

/**
 * One product for the table: consultations limited to 3 claims and 100.00 a year, surgeries to 1,
 * a deductible of 20.00 and a ceiling of 500.00 per insuree, a policy ceiling of 1 000.00.
 * Item A: waiting period 3 months (adult) / 6 months (child), at most 5 (adult) / 2 (child)
 * provisions, co-insurance 80 % for adults and 100 % for children. Consultation and surgery
 * services are covered without waiting; item X exists but is not in the product.
 */
const scheme = await write(db, async (tx) => {
  const product = makeProduct(tx, {
    categoryLimits: { consultationCount: 3, consultationAmount: '100.00', surgeryCount: 1 },
    deductiblePerInsuree: { general: '20.00', inPatient: null, outPatient: null },
    ceilingPerInsuree: { general: '500.00', inPatient: null, outPatient: null },
    ceilingPerPolicy: { general: '1000.00', inPatient: null, outPatient: null },
  } as never);
  const itemA = makeItem(tx, { price: '10.00' });
  const itemX = makeItem(tx);
  const consultation = makeService(tx, 'C', { price: '20.00' });
  const surgery = makeService(tx, 'S', { price: '300.00' });
  cover(
    tx,
    product,
    { item: itemA },
    {
      waitingPeriodAdultMonths: 3,
      waitingPeriodChildMonths: 6,
      maxProvisionsAdult: 5,
      maxProvisionsChild: 2,
      limitAdult: '80.00',
      limitChild: '100.00',
    },
  );
  cover(tx, product, { service: consultation });
  cover(tx, product, { service: surgery }, { limitationType: 'F', limitAdult: '250.00' });
  return { product, itemA, itemX, consultation, surgery };
});
const A = { kind: 'item', code: scheme.itemA.code } as const;
const X = { kind: 'item', code: scheme.itemX.code } as const;
const CONSULTATION = { kind: 'service', code: scheme.consultation.code } as const;
const SURGERY = { kind: 'service', code: scheme.surgery.code } as const;

/** An adult (born 1980) and a child (born 2015), covered from 2025-03-20 to 2025-12-31. */
const terms = {
  product: scheme.product,
  start: '2025-01-01',
  effective: '2025-03-20',
  expiry: '2025-12-31',
};
const family = () => write(db, async (tx) => insuredFamily(tx, ['1980-01-01', '2015-01-01'], terms));
const patient = (id: string) => ({ reference: `Patient/${id}` });

t.test(
  'waiting period: 3 months for the adult, 6 for the child, from the effective date 2025-03-20',
  async (t) => {
    const { members, covers } = await family();
    const cases = [
      { who: 0, date: '2025-06-19', excluded: true, until: '2025-06-20' },
      { who: 0, date: '2025-06-20', excluded: false },
      { who: 1, date: '2025-09-19', excluded: true, until: '2025-09-20' },
      { who: 1, date: '2025-09-20', excluded: false },
    ];
    for (const c of cases) {
      const answer = await ask(t, kinga, enquiry(patient(members[c.who]!.id), c.date, [A]));
      const item = answerFor(insuranceOf(answer, covers[c.who]!.id), A.code);
      t.equal(item.excluded, c.excluded, `member ${c.who} on ${c.date}`);
      t.same(item.reasons, c.excluded ? ['waiting-period'] : [], `member ${c.who} on ${c.date}: reasons`);
      t.same(item.until, c.until ? { 'waiting-period': c.until } : {});
    }
  },
);

t.test('quantity limit: 3 of 5 used leaves 2; 5 of 5 leaves 0 and excludes; the child has 2', async (t) => {
  const partly = await family();
  const fully = await family();
  const treatment = (insureeId: string, policyId: string, quantity: number) => ({
    insureeId,
    policyId,
    date: '2025-05-01',
    careSetting: 'O' as const,
    amount: '0.00',
    lines: [{ itemId: scheme.itemA.id, quantity }],
  });
  await used(
    db,
    treatment(partly.members[0]!.id, partly.policy.id, 2),
    treatment(partly.members[0]!.id, partly.policy.id, 1),
    treatment(fully.members[0]!.id, fully.policy.id, 5),
    treatment(fully.members[1]!.id, fully.policy.id, 1),
  );
  const date = '2025-10-01';
  const cases = [
    { family: partly, who: 0, quantity: { allowed: 5, used: 3, remaining: 2 }, excluded: false },
    { family: fully, who: 0, quantity: { allowed: 5, used: 5, remaining: 0 }, excluded: true },
    { family: fully, who: 1, quantity: { allowed: 2, used: 1, remaining: 1 }, excluded: false },
    { family: partly, who: 1, quantity: { allowed: 2, used: 0, remaining: 2 }, excluded: false },
  ];
  for (const c of cases) {
    const answer = await ask(t, kinga, enquiry(patient(c.family.members[c.who]!.id), date, [A]));
    const item = answerFor(insuranceOf(answer, c.family.covers[c.who]!.id), A.code);
    t.same(item.quantity, c.quantity, 'allowed, used, remaining (zero shown as zero)');
    t.equal(item.excluded, c.excluded);
    t.same(item.reasons, c.excluded ? ['quantity-limit'] : []);
    // Adults 80 %, children 100 % co-insurance.
    t.same(item.coInsurance, { allowed: c.who === 0 ? 80 : 100 });
    t.equal(item.price, 10, 'the register price without a facility');
  }
});

t.test('category counts: 3 consultations of 3 used; consultation amount 60.00 of 100.00', async (t) => {
  const { members, policy, covers } = await family();
  const consultation = (date: string) => ({
    insureeId: members[0]!.id,
    policyId: policy.id,
    date,
    careSetting: 'O' as const,
    category: 'C' as const,
    amount: '20.00',
    lines: [{ serviceId: scheme.consultation.id, quantity: 1, amount: '20.00' }],
  });
  await used(db, consultation('2025-04-01'), consultation('2025-04-15'), consultation('2025-05-01'));
  const answer = await ask(t, kinga, enquiry(patient(members[0]!.id), '2025-06-20', [CONSULTATION, SURGERY]));
  const insurance = insuranceOf(answer, covers[0]!.id);
  t.same(packageBenefit(insurance, 'consultation-count'), { allowed: 3, used: 3, remaining: 0 });
  t.same(packageBenefit(insurance, 'consultation-amount'), { allowed: 100, used: 60, remaining: 40 });
  t.same(packageBenefit(insurance, 'surgery-count'), { allowed: 1, used: 0, remaining: 1 });
  t.same(packageBenefit(insurance, 'visit-count'), { used: 0 }, 'no limit: used only, zero shown');
  t.same(packageBenefit(insurance, 'hospitalization-amount'), { used: 0 });
  const consult = answerFor(insurance, CONSULTATION.code);
  t.equal(consult.excluded, true);
  t.same(consult.reasons, ['category-limit']);
  t.same(consult.quantity, { used: 3 }, 'no provision limit on the line; 3 given');
  const surgery = answerFor(insurance, SURGERY.code);
  t.equal(surgery.excluded, false);
  t.same(surgery.fixedAmount, { allowed: 250 }, 'a fixed limit of 250.00');
  // The child has used nothing.
  const child = await ask(t, kinga, enquiry(patient(members[1]!.id), '2025-06-20', [CONSULTATION]));
  t.same(packageBenefit(insuranceOf(child, covers[1]!.id), 'consultation-count'), {
    allowed: 3,
    used: 0,
    remaining: 3,
  });
});

t.test('deductible partly consumed; insuree ceiling reached; policy ceiling shared', async (t) => {
  const { members, policy, covers } = await family();
  await used(
    db,
    {
      insureeId: members[0]!.id,
      policyId: policy.id,
      date: '2025-04-01',
      careSetting: 'I',
      category: 'H',
      amount: '500.00',
      deductible: '7.50',
      lines: [],
    },
    {
      insureeId: members[1]!.id,
      policyId: policy.id,
      date: '2025-04-02',
      careSetting: 'O',
      amount: '120.25',
      deductible: '20.00',
      lines: [],
    },
  );
  const adult = insuranceOf(
    await ask(t, kinga, enquiry(patient(members[0]!.id), '2025-07-01', [CONSULTATION])),
    covers[0]!.id,
  );
  t.same(packageBenefit(adult, 'deductible-insuree-general'), { allowed: 20, used: 7.5, remaining: 12.5 });
  t.same(packageBenefit(adult, 'ceiling-insuree-general'), { allowed: 500, used: 500, remaining: 0 });
  // 500.00 + 120.25 of 1 000.00
  t.same(packageBenefit(adult, 'ceiling-policy-general'), { allowed: 1000, used: 620.25, remaining: 379.75 });
  t.same(packageBenefit(adult, 'hospitalization-count'), { used: 1 });
  t.same(
    packageBenefit(adult, 'ceiling-insuree-in-patient'),
    undefined,
    'a ceiling the product does not set is not listed',
  );
  const consult = answerFor(adult, CONSULTATION.code);
  t.same(consult.reasons, ['ceiling-reached']);
  const child = insuranceOf(
    await ask(t, kinga, enquiry(patient(members[1]!.id), '2025-07-01', [CONSULTATION])),
    covers[1]!.id,
  );
  t.same(packageBenefit(child, 'deductible-insuree-general'), { allowed: 20, used: 20, remaining: 0 });
  t.same(packageBenefit(child, 'ceiling-insuree-general'), { allowed: 500, used: 120.25, remaining: 379.75 });
  t.equal(answerFor(child, CONSULTATION.code).excluded, false);
});

t.test('cover expired yesterday, or starting tomorrow: listed, not in force, with the reason', async (t) => {
  const expired = await write(db, async (tx) =>
    insuredFamily(tx, ['1980-01-01'], {
      ...terms,
      start: '2024-06-15',
      effective: '2024-06-15',
      expiry: '2025-06-14',
      status: 'expired',
    }),
  );
  const upcoming = await write(db, async (tx) =>
    insuredFamily(tx, ['1980-01-01'], {
      ...terms,
      start: '2025-06-16',
      effective: '2025-06-16',
      expiry: '2026-06-15',
    }),
  );
  for (const [insured, reason] of [
    [expired, 'policy-expired'],
    [upcoming, 'not-started'],
  ] as const) {
    const answer = await ask(
      t,
      kinga,
      enquiry(patient(insured.members[0]!.id), '2025-06-15', [CONSULTATION]),
    );
    t.equal(answer.outcome, 'complete');
    t.same(errorCodes(answer), ['no-coverage-in-force']);
    const insurance = insuranceOf(answer, insured.covers[0]!.id);
    t.equal(insurance.inforce, false);
    t.equal(insurance.extension.find((e: any) => e.url === EXT.notInForce).valueCoding.code, reason);
    const consult = answerFor(insurance, CONSULTATION.code);
    t.equal(consult.excluded, true);
    t.same(consult.reasons, ['not-in-force']);
  }
  // The day before, the expired cover was in force.
  const before = await ask(t, kinga, enquiry(patient(expired.members[0]!.id), '2025-06-14', [CONSULTATION]));
  t.equal(insuranceOf(before, expired.covers[0]!.id).inforce, true);
  t.same(errorCodes(before), []);
});

t.test('two products covering the same service: both listed, both cover it', async (t) => {
  const other = await write(db, async (tx) => {
    const product = makeProduct(tx, { categoryLimits: { consultationCount: 10 } } as never);
    cover(tx, product, { service: scheme.consultation }, { limitAdult: '50.00' });
    return product;
  });
  const { members, covers } = await family();
  const second = await write(db, async (tx) =>
    insureAgain(
      tx,
      members.map((m) => tx.merge(m)),
      { ...terms, product: other },
    ),
  );
  const answer = await ask(t, kinga, enquiry(patient(members[0]!.id), '2025-06-20', [CONSULTATION, X]));
  t.equal(answer.insurance.length, 2);
  const first = insuranceOf(answer, covers[0]!.id);
  const alsoCovering = insuranceOf(answer, second.covers[0]!.id);
  t.same(answerFor(first, CONSULTATION.code).coInsurance, { allowed: 100 });
  t.same(answerFor(alsoCovering, CONSULTATION.code).coInsurance, { allowed: 50 });
  t.equal(answerFor(first, CONSULTATION.code).excluded, false);
  t.equal(answerFor(alsoCovering, CONSULTATION.code).excluded, false);
  t.same(packageBenefit(alsoCovering, 'consultation-count'), { allowed: 10, used: 0, remaining: 10 });
  t.same(answerFor(first, X.code).reasons, ['not-in-product']);
  t.same(answerFor(alsoCovering, X.code).reasons, ['not-in-product']);
});

t.test('a member added after the policy started waits from their own effective date', async (t) => {
  const { members, covers } = await write(db, async (tx) =>
    insuredFamily(tx, ['1980-01-01', '1985-01-01', '1990-01-01'], {
      ...terms,
      effective: '2025-01-01',
      memberEffective: ['2025-01-01', '2025-05-01', null],
    }),
  );
  const head = insuranceOf(
    await ask(t, kinga, enquiry(patient(members[0]!.id), '2025-06-15', [A])),
    covers[0]!.id,
  );
  t.equal(answerFor(head, A.code).excluded, false, 'the head waited until 2025-04-01');
  const added = insuranceOf(
    await ask(t, kinga, enquiry(patient(members[1]!.id), '2025-06-15', [A])),
    covers[1]!.id,
  );
  t.equal(added.inforce, true);
  t.same(answerFor(added, A.code).until, { 'waiting-period': '2025-08-01' });
  const unpaid = await ask(t, kinga, enquiry(patient(members[2]!.id), '2025-06-15', [A]));
  const notYet = insuranceOf(unpaid, covers[2]!.id);
  t.equal(notYet.inforce, false);
  t.equal(
    notYet.extension.find((e: any) => e.url === EXT.notInForce).valueCoding.code,
    'member-not-covered-yet',
  );
});

t.test(
  'at a facility: its price list decides, with its overrule; a service not listed is excluded',
  async (t) => {
    const facility = await write(db, async (tx) =>
      facilityWithPrices(tx, {
        items: [{ item: tx.merge(scheme.itemA) }],
        services: [{ service: tx.merge(scheme.consultation), overrule: '35.00' }],
      }),
    );
    const { members, covers } = await family();
    const answer = await ask(
      t,
      kinga,
      enquiry(patient(members[0]!.id), '2025-07-01', [A, CONSULTATION, SURGERY], facility.id),
    );
    t.equal(answer.requestor.reference, `Organization/${facility.id}`);
    const insurance = insuranceOf(answer, covers[0]!.id);
    t.equal(answerFor(insurance, A.code).price, 10, 'listed without overrule: the register price');
    t.equal(answerFor(insurance, CONSULTATION.code).price, 35, 'the overrule');
    t.equal(answerFor(insurance, CONSULTATION.code).excluded, false);
    const surgery = answerFor(insurance, SURGERY.code);
    t.equal(surgery.excluded, true);
    t.same(surgery.reasons, ['not-in-price-list']);
    t.equal(surgery.price, undefined, 'no price where it is not listed');
  },
);

t.test('at a facility: a price list that starts after the date, or was retired, lists nothing', async (t) => {
  const facilityWhoseItemsList = (change: (list: PriceList) => void) =>
    write(db, async (tx) => {
      const facility = facilityWithPrices(tx, {
        items: [{ item: tx.merge(scheme.itemA) }],
        services: [{ service: tx.merge(scheme.consultation) }],
      });
      change(facility.itemsPriceList as PriceList);
      return facility;
    });
  const later = await facilityWhoseItemsList((list) => (list.validFrom = '2025-07-02'));
  const retired = await facilityWhoseItemsList((list) => (list.deletedAt = new Date('2025-01-01T00:00:00Z')));
  const { members, covers } = await family();
  for (const [facility, why] of [
    [later, 'starts the day after'],
    [retired, 'retired'],
  ] as const) {
    const answer = await ask(
      t,
      kinga,
      enquiry(patient(members[0]!.id), '2025-07-01', [A, CONSULTATION], facility.id),
    );
    const insurance = insuranceOf(answer, covers[0]!.id);
    t.same(answerFor(insurance, A.code).reasons, ['not-in-price-list'], `items list ${why}`);
    t.equal(answerFor(insurance, A.code).price, undefined);
    t.equal(answerFor(insurance, CONSULTATION.code).price, 20, 'the services list still applies');
  }
  const onItsDay = await facilityWhoseItemsList((list) => (list.validFrom = '2025-07-01'));
  const answer = await ask(t, kinga, enquiry(patient(members[0]!.id), '2025-07-01', [A], onItsDay.id));
  t.equal(
    answerFor(insuranceOf(answer, covers[0]!.id), A.code).price,
    10,
    'a list applies from its first day',
  );
});
