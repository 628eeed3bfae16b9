import type { EntityManager } from '@mikro-orm/core';
import t from 'tap';
import { activatePolicy } from '../../src/domain/policy/activate-policy.ts';
import { policyAccounts } from '../../src/domain/policy/policy-account.ts';
import type { PolicyRules } from '../../src/domain/policy/policy-rules.ts';
import { Policy } from '../../src/domain/policy/policy.entity.ts';
import { recordPremium, type PremiumInput } from '../../src/domain/policy/record-premium.ts';
import { reversePremium } from '../../src/domain/policy/reverse-premium.ts';
import { unique } from '../helpers/test-app.ts';
import {
  cashPayment,
  enrolledPolicy,
  failure,
  loadCover,
  loadLedger,
  loadPolicy,
  makePlaces,
  makeProduct,
  manual,
  onPayment,
  openTestDatabase,
  reader,
  write,
} from './scheme-fixtures.ts';

const db = await openTestDatabase(t);

// Per head: 2 adults × 40 + 1 child × 20 = 100.00. Free enrolment on 2024-06-01: start 2024-06-01.
const setting = await write(db, async (tx) => {
  const { village } = makePlaces(tx);
  return {
    village,
    product: makeProduct(tx, { premiumAdult: '40.00', premiumChild: '20.00' }),
    otherProduct: makeProduct(tx, { premiumAdult: '40.00', premiumChild: '20.00' }),
  };
});

const enrolled = (productId = setting.product.id, rules: PolicyRules = onPayment) =>
  enrolledPolicy(db, setting.village, productId, { rules });

const pay = (input: PremiumInput, rules: PolicyRules = onPayment) =>
  write(db, (tx) => recordPremium(tx, input, rules));

t.test('a partial payment leaves the policy idle with its balance; the rest activates it', async (t) => {
  const policyId = await enrolled();
  const first = await pay(cashPayment(policyId, '60.00', '2024-06-05'));
  // 100 − 60
  t.match(first, {
    previousStatus: 'idle',
    settlement: { status: 'idle', balance: '40.00', credit: '0.00' },
  });
  t.equal(first.covered.length, 0);
  t.match(await loadPolicy(db, policyId), { status: 'idle', effectiveDate: null });

  const second = await pay(cashPayment(policyId, '40.00', '2024-06-20'));
  // complete on 06-20, after the start 06-01: effective 06-20
  t.match(second.settlement, {
    status: 'active',
    effectiveDate: '2024-06-20',
    paid: '100.00',
    balance: '0.00',
  });
  t.equal(second.covered.length, 3, 'every member covered');
  t.match(await loadPolicy(db, policyId), { status: 'active', effectiveDate: '2024-06-20' });
  t.same(
    (await loadCover(db, policyId)).map((c) => c.effectiveDate),
    ['2024-06-20', '2024-06-20', '2024-06-20'],
  );
});

t.test('an overpayment activates the policy and is kept as credit', async (t) => {
  const policyId = await enrolled();
  const result = await pay(cashPayment(policyId, '130.00', '2024-05-28'));
  // paid before the start: effective 06-01; 130 − 100 = 30 credit
  t.match(result.settlement, {
    status: 'active',
    effectiveDate: '2024-06-01',
    balance: '0.00',
    credit: '30.00',
  });
  t.same(
    (await loadLedger(db, policyId)).map((p) => [p.kind, p.amount]),
    [['payment', '130.00']],
    'the whole amount is in the ledger',
  );
  const unpaidId = await enrolled();
  const accounts = await policyAccounts(reader(db), [
    await loadPolicy(db, policyId),
    await loadPolicy(db, unpaidId),
  ]);
  t.same(
    accounts.get(policyId),
    { paid: '130.00', balance: '0.00', credit: '30.00' },
    'as a Coverage will show it',
  );
  t.same(accounts.get(unpaidId), { paid: '0.00', balance: '100.00', credit: '0.00' });
});

t.test('a receipt is unique within the product', async (t) => {
  const policyId = await enrolled();
  const otherPolicyId = await enrolled(setting.otherProduct.id);
  const receipt = unique('R');
  await pay(cashPayment(policyId, '10.00', '2024-06-05', receipt));
  t.equal(
    await failure(db, (tx) =>
      recordPremium(tx, cashPayment(policyId, '10.00', '2024-06-06', receipt), onPayment),
    ),
    'policy.receipt-duplicate',
  );
  t.equal((await loadLedger(db, policyId)).length, 1, 'the duplicate was not stored');
  t.equal(
    await failure(db, (tx) =>
      recordPremium(tx, cashPayment(otherPolicyId, '10.00', '2024-06-06', receipt), onPayment),
    ),
    'no error',
    'the same receipt number under another product is another receipt',
  );
});

t.test('a reversal is a compensating entry that uncovers an active policy', async (t) => {
  const policyId = await enrolled();
  const paid = await pay(cashPayment(policyId, '100.00', '2024-06-01'));
  t.equal(paid.settlement.status, 'active');

  const reversed = await write(db, (tx) =>
    reversePremium(tx, { premiumId: paid.premium.id, date: '2024-07-01' }, onPayment),
  );
  t.match(reversed.settlement, { status: 'idle', effectiveDate: null, balance: '100.00' });
  t.equal(reversed.uncovered.length, 3);
  t.same(
    (await loadLedger(db, policyId)).map((p) => [p.kind, p.amount, p.receipt, p.counterpart?.id ?? null]),
    [
      ['payment', '100.00', paid.premium.receipt, null],
      ['reversal', '-100.00', paid.premium.receipt, paid.premium.id],
    ],
    'nothing edited or deleted',
  );
  t.ok((await loadCover(db, policyId)).every((c) => c.effectiveDate === null));

  t.equal(
    await failure(db, (tx) =>
      reversePremium(tx, { premiumId: paid.premium.id, date: '2024-07-02' }, onPayment),
    ),
    'policy.premium-already-reversed',
  );
  t.equal(
    await failure(db, (tx) =>
      reversePremium(tx, { premiumId: reversed.reversal.id, date: '2024-07-02' }, onPayment),
    ),
    'policy.premium-not-reversible',
  );

  const again = await pay(cashPayment(policyId, '100.00', '2024-07-10'));
  t.match(
    again.settlement,
    { status: 'active', effectiveDate: '2024-07-10' },
    'cover resumes from the new payment',
  );
});

t.test('reversing the surplus of an overpayment keeps the policy active', async (t) => {
  const policyId = await enrolled();
  await pay(cashPayment(policyId, '100.00', '2024-06-01'));
  const surplus = await pay(cashPayment(policyId, '25.00', '2024-06-02'));
  t.equal(surplus.settlement.credit, '25.00');
  const reversed = await write(db, (tx) =>
    reversePremium(tx, { premiumId: surplus.premium.id, date: '2024-06-10' }, onPayment),
  );
  t.match(reversed.settlement, {
    status: 'active',
    effectiveDate: '2024-06-01',
    credit: '0.00',
    balance: '0.00',
  });
  t.equal(reversed.uncovered.length, 0);
});

t.test('manual activation: paid policies wait, ready, until an officer activates them', async (t) => {
  const policyId = await enrolled(setting.product.id, manual);
  const paid = await pay(cashPayment(policyId, '100.00', '2024-06-05'), manual);
  t.match(paid.settlement, { status: 'ready', effectiveDate: null });
  t.equal(paid.covered.length, 0);

  const activated = await write(db, (tx) => activatePolicy(tx, { policyId, date: '2024-06-25' }, manual));
  t.match(activated, {
    previousStatus: 'ready',
    settlement: { status: 'active', effectiveDate: '2024-06-25' },
  });
  t.same(
    (await loadCover(db, policyId)).map((c) => c.effectiveDate),
    ['2024-06-25', '2024-06-25', '2024-06-25'],
  );
  t.equal(
    await failure(db, (tx) => activatePolicy(tx, { policyId, date: '2024-06-26' }, manual)),
    'policy.not-ready',
  );
});

t.test('premiums that cannot be taken', async (t) => {
  const policyId = await enrolled();
  const attempt = (change: Partial<PremiumInput>) => (tx: EntityManager) =>
    recordPremium(tx, { ...cashPayment(policyId, '10.00', '2024-06-05'), ...change }, onPayment);
  t.equal(await failure(db, attempt({ amount: '-5.00' })), 'policy.premium-amount-invalid');
  t.equal(await failure(db, attempt({ amount: '0' })), 'policy.premium-amount-invalid');
  t.equal(await failure(db, attempt({ amount: '1.234' })), 'policy.premium-amount-invalid');
  t.equal(await failure(db, attempt({ receipt: '  ' })), 'policy.receipt-required');
  t.equal(await failure(db, attempt({ payDate: '2024-13-01' })), 'policy.date-invalid');
  t.equal(
    await failure(db, attempt({ policyId: '01900000-0000-7000-8000-000000000000' })),
    'policy.not-found',
  );
  await write(db, async (tx) => {
    const policy = await tx.findOneOrFail(Policy, policyId);
    policy.settleTo({ status: 'expired', effectiveDate: null });
  });
  t.equal(await failure(db, attempt({})), 'policy.expired', 'an expired policy is renewed, not paid');
  t.equal((await loadLedger(db, policyId)).length, 0, 'nothing stored');
});

t.test('two payments at once are allocated one after the other', async (t) => {
  const policyId = await enrolled();
  // A counter receipt and a mobile money callback, together: each must see the other's entry.
  await Promise.all([
    pay(cashPayment(policyId, '50.00', '2024-06-03')),
    pay({ ...cashPayment(policyId, '50.00', '2024-06-04'), payType: 'M' }),
  ]);
  t.match(await loadPolicy(db, policyId), { status: 'active', effectiveDate: '2024-06-04' });
  t.equal((await loadLedger(db, policyId)).length, 2);
});
