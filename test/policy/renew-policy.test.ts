import t from 'tap';
import { enrolFamily } from '../../src/domain/policy/enrol-family.ts';
import { recordPremium } from '../../src/domain/policy/record-premium.ts';
import { renewPolicy } from '../../src/domain/policy/renew-policy.ts';
import type { Officer } from '../../src/domain/officer/officer.entity.ts';
import type { Product } from '../../src/domain/product/product.entity.ts';
import { unique } from '../helpers/test-app.ts';
import {
  failure,
  loadCover,
  loadLedger,
  loadPolicy,
  makeFamily,
  makeOfficer,
  makePlaces,
  makeProduct,
  onPayment,
  openTestDatabase,
  write,
} from './scheme-fixtures.ts';

const db = await openTestDatabase(t);

const setting = await write(db, async (tx) => {
  const { village } = makePlaces(tx);
  // B replaces A from 2025: 60.00 per adult, registration 10.00 (new policies only) and
  // general assembly 5.00 per member, 10 % off when renewed a month before the old cover ends.
  const replacement = makeProduct(tx, {
    dateFrom: '2024-01-01',
    premiumAdult: '60.00',
    registrationFee: '10.00',
    generalAssemblyFee: '5.00',
    renewalDiscountPercent: '10',
    renewalDiscountPeriodMonths: 1,
  });
  const retiring = makeProduct(tx, {
    dateTo: '2024-12-31',
    premiumAdult: '50.00',
    conversionProduct: replacement,
  });
  const lasting = makeProduct(tx, {
    premiumAdult: '50.00',
    renewalDiscountPercent: '10',
    renewalDiscountPeriodMonths: 1,
  });
  const substitute = makeOfficer(tx);
  const leaving = makeOfficer(tx, { worksTo: '2024-06-30', substitute });
  return { village, replacement, retiring, lasting, substitute, leaving };
});

/** Two adults insured for 2024 (enrolled 2024-01-01), value 2 × 50 = 100.00, paid `paid`. */
async function insured2024(product: Product, paid: string | null, officer: Officer | null = null) {
  return write(db, async (tx) => {
    const { family } = makeFamily(tx, setting.village, [
      { birthDate: '1980-01-01' },
      { birthDate: '1981-01-01' },
    ]);
    await tx.flush();
    const { policy } = await enrolFamily(
      tx,
      { familyId: family.id, productId: product.id, officerId: officer?.id ?? null, enrolDate: '2024-01-01' },
      onPayment,
    );
    if (paid) {
      await recordPremium(
        tx,
        { policyId: policy.id, amount: paid, payDate: '2024-01-01', payType: 'B', receipt: unique('R') },
        onPayment,
      );
    }
    return policy.id;
  });
}

t.test(
  'renewal under the conversion product, through the substitute officer, carrying the credit',
  async (t) => {
    const oldId = await insured2024(setting.retiring, '120.00', setting.leaving); // 20.00 credit
    const renewal = await write(db, (tx) =>
      renewPolicy(tx, { policyId: oldId, renewalDate: '2024-12-10' }, onPayment),
    );
    // A ends 2024-12-31 → B. Start 2025-01-01 (continues the old cover), expiry 2025-12-31.
    // 2 × 60 + general assembly 2 × 5 = 130.00; no registration; renewed on 12-10, after
    // 2025-01-01 − 1 month = 2024-12-01: no discount. Credit 20.00 in: 110.00 still owed.
    t.match(renewal, { productReplaced: true, creditCarried: '20.00' });
    t.match(renewal.value, {
      value: '130.00',
      registration: '0.00',
      generalAssembly: '10.00',
      discount: '0.00',
    });
    t.match(renewal.settlement, { status: 'idle', paid: '20.00', balance: '110.00' });

    const fresh = await loadPolicy(db, renewal.policy.id);
    t.match(fresh, {
      stage: 'R',
      status: 'idle',
      enrolDate: '2024-12-10',
      startDate: '2025-01-01',
      expiryDate: '2025-12-31',
      value: '130.00',
    });
    t.equal(fresh.product.id, setting.replacement.id);
    t.equal(fresh.previous?.id, oldId);
    t.equal(fresh.officer?.id, setting.substitute.id, 'the officer who left is replaced by their substitute');
    t.equal((await loadCover(db, fresh.id)).length, 2);

    const oldLedger = await loadLedger(db, oldId);
    const newLedger = await loadLedger(db, fresh.id);
    t.same(
      oldLedger.map((p) => [p.kind, p.amount]),
      [
        ['payment', '120.00'],
        ['credit-out', '-20.00'],
      ],
    );
    t.same(
      newLedger.map((p) => [p.kind, p.amount]),
      [['credit-in', '20.00']],
    );
    t.equal(newLedger[0]!.counterpart?.id, oldLedger[1]!.id, 'the pair points at each other');
    t.equal(oldLedger[1]!.counterpart?.id, newLedger[0]!.id);
    t.match(
      await loadPolicy(db, oldId),
      { status: 'active', effectiveDate: '2024-01-01' },
      'the old cover runs on',
    );

    t.equal(
      await failure(db, (tx) => renewPolicy(tx, { policyId: oldId, renewalDate: '2024-12-11' }, onPayment)),
      'policy.already-renewed',
    );

    const paid = await write(db, (tx) =>
      recordPremium(
        tx,
        { policyId: fresh.id, amount: '110.00', payDate: '2024-12-20', payType: 'C', receipt: unique('R') },
        onPayment,
      ),
    );
    t.match(paid.settlement, { status: 'active', effectiveDate: '2025-01-01' }, 'no gap, no overlap');
  },
);

t.test('an early renewal gets the discount, and a credit that pays it activates it', async (t) => {
  const oldId = await insured2024(setting.lasting, '200.00'); // 100.00 credit
  const renewal = await write(db, (tx) =>
    renewPolicy(tx, { policyId: oldId, renewalDate: '2024-11-15' }, onPayment),
  );
  // 2 × 50 = 100.00; renewed 2024-11-15 ≤ 2024-12-01: 10 % off → 90.00; credit 100.00 → 10.00 left
  t.match(renewal, {
    productReplaced: false,
    creditCarried: '100.00',
    value: { value: '90.00', discount: '10.00' },
  });
  t.match(renewal.settlement, {
    status: 'active',
    effectiveDate: '2025-01-01',
    credit: '10.00',
    balance: '0.00',
  });
  t.ok((await loadCover(db, renewal.policy.id)).every((c) => c.effectiveDate === '2025-01-01'));
  t.equal((await loadPolicy(db, renewal.policy.id)).officer, null, 'no officer before, none now');
});

t.test('a renewal without credit moves no money', async (t) => {
  const oldId = await insured2024(setting.lasting, '100.00');
  const renewal = await write(db, (tx) =>
    renewPolicy(tx, { policyId: oldId, renewalDate: '2025-01-20' }, onPayment),
  );
  // renewed late: starts on the renewal date
  t.match(renewal, { creditCarried: '0.00', settlement: { status: 'idle', balance: '100.00' } });
  t.match(await loadPolicy(db, renewal.policy.id), { startDate: '2025-01-20', expiryDate: '2026-01-19' });
  t.equal((await loadLedger(db, oldId)).length, 1);
});

t.test('an unpaid policy is not renewed', async (t) => {
  const oldId = await insured2024(setting.lasting, '50.00');
  t.equal(
    await failure(db, (tx) => renewPolicy(tx, { policyId: oldId, renewalDate: '2024-12-10' }, onPayment)),
    'policy.not-renewable',
  );
});
