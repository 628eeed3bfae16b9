import type { EntityManager } from '@mikro-orm/core';
import t from 'tap';
import { Family } from '../../src/domain/insuree/family.entity.ts';
import { Insuree } from '../../src/domain/insuree/insuree.entity.ts';
import { addMemberToPolicy } from '../../src/domain/policy/add-member-to-policy.ts';
import { enrolFamily } from '../../src/domain/policy/enrol-family.ts';
import { recordPremium } from '../../src/domain/policy/record-premium.ts';
import type { Product } from '../../src/domain/product/product.entity.ts';
import { unique } from '../helpers/test-app.ts';
import {
  failure,
  loadCover,
  loadPolicy,
  makeFamily,
  makePlaces,
  makeProduct,
  onPayment,
  openTestDatabase,
  reader,
  write,
  type Person,
} from './scheme-fixtures.ts';

const db = await openTestDatabase(t);
const adult: Person = { birthDate: '1980-01-01' };
const child: Person = { birthDate: '2015-01-01', relationship: '4' };

const setting = await write(db, async (tx) => {
  const { village } = makePlaces(tx);
  // Lump sum 100.00 for up to 3 members; a 4th child pays 15.00; at most 5 members.
  const tight = makeProduct(tx, {
    lumpSum: '100.00',
    threshold: 3,
    maxMembers: 5,
    premiumAdult: '30.00',
    premiumChild: '15.00',
  });
  const roomy = makeProduct(tx, {
    lumpSum: '100.00',
    threshold: 5,
    premiumAdult: '30.00',
    premiumChild: '15.00',
  });
  return { village, tight, roomy };
});

/** A family of 2 adults and a child enrolled on 2024-01-10 (start the same day), value 100.00. */
async function household(product: Product, paid: string | null) {
  return write(db, async (tx) => {
    const { family } = makeFamily(tx, setting.village, [adult, adult, child]);
    await tx.flush();
    const { policy } = await enrolFamily(
      tx,
      { familyId: family.id, productId: product.id, enrolDate: '2024-01-10' },
      onPayment,
    );
    if (paid) {
      await recordPremium(
        tx,
        { policyId: policy.id, amount: paid, payDate: '2024-01-10', payType: 'C', receipt: unique('R') },
        onPayment,
      );
    }
    return { family, policyId: policy.id };
  });
}

/** A newborn admitted to the family. */
function admit(tx: EntityManager, family: Family): Insuree {
  return tx.create(Insuree, {
    insuranceNumber: unique('N'),
    lastName: 'Mushi',
    otherNames: 'Newborn',
    birthDate: '2024-02-20',
    relationship: '4',
    family: tx.getReference(Family, family.id),
    isHead: false,
  });
}

/** A newborn admitted to the family, then put on its policy. */
async function join(home: { family: Family; policyId: string }, joinDate: string) {
  return write(db, async (tx) => {
    const baby = admit(tx, home.family);
    await tx.flush();
    return addMemberToPolicy(tx, { policyId: home.policyId, insureeId: baby.id, joinDate }, onPayment);
  });
}

const pay = (policyId: string, amount: string, payDate: string) =>
  write(db, (tx) =>
    recordPremium(tx, { policyId, amount, payDate, payType: 'C', receipt: unique('R') }, onPayment),
  );

t.test('a member joining an active policy is covered once their extra premium is paid', async (t) => {
  const home = await household(setting.tight, '100.00');
  t.match(await loadPolicy(db, home.policyId), { status: 'active', effectiveDate: '2024-01-10' });

  const joined = await join(home, '2024-03-01');
  // 4 members, threshold 3: 2 adults + 1 child in the lump sum, the newborn pays 15: 115.00
  t.match(joined, {
    extraPremium: '15.00',
    value: { value: '115.00' },
    settlement: { status: 'active', effectiveDate: '2024-01-10', balance: '15.00' },
  });
  t.match(joined.member, {
    enrolDate: '2024-03-01',
    startDate: '2024-03-01',
    effectiveDate: null,
    coverThreshold: '115.00',
  });
  let cover = await loadCover(db, home.policyId);
  t.same(
    cover.map((c) => c.effectiveDate),
    ['2024-01-10', '2024-01-10', '2024-01-10', null],
    'the family stays covered; the newcomer waits',
  );

  const paid = await pay(home.policyId, '15.00', '2024-03-10');
  t.equal(paid.covered.length, 1);
  t.equal(paid.covered[0]!.insuree.id, joined.member.insuree.id);
  cover = await loadCover(db, home.policyId);
  t.same(
    cover.map((c) => c.effectiveDate),
    ['2024-01-10', '2024-01-10', '2024-01-10', '2024-03-10'],
  );
  t.match(await loadPolicy(db, home.policyId), { value: '115.00', status: 'active' });
});

t.test('a member the lump sum already covers is covered from the join date', async (t) => {
  const home = await household(setting.roomy, '100.00');
  const joined = await join(home, '2024-03-01');
  // 4 members ≤ threshold 5: still 100.00, nothing extra to pay
  t.match(joined, { extraPremium: '0.00', settlement: { balance: '0.00' } });
  t.equal(joined.member.effectiveDate, '2024-03-01');
});

t.test('a credit already paid covers the newcomer at once', async (t) => {
  const home = await household(setting.tight, '120.00'); // 20.00 credit
  const joined = await join(home, '2024-03-01');
  // 115.00 due, 120.00 paid: covered from the join date, 5.00 credit left
  t.match(joined.settlement, { balance: '0.00', credit: '5.00' });
  t.equal(joined.member.effectiveDate, '2024-03-01');
});

t.test('a member joining an unpaid policy joins everyone else in waiting for full payment', async (t) => {
  const home = await household(setting.tight, null);
  await join(home, '2024-01-20');
  const cover = await loadCover(db, home.policyId);
  t.ok(
    cover.every((c) => c.coverThreshold === '115.00'),
    'one threshold: the whole new value',
  );
  const partial = await pay(home.policyId, '100.00', '2024-01-25');
  t.match(partial.settlement, { status: 'idle', balance: '15.00' }, 'the old value no longer activates it');
  const full = await pay(home.policyId, '15.00', '2024-01-26');
  t.match(full.settlement, { status: 'active', effectiveDate: '2024-01-26' });
  t.equal(full.covered.length, 4);
});

t.test('members who cannot join', async (t) => {
  const home = await household(setting.tight, '100.00');
  const stranger = await write(db, async (tx) => makeFamily(tx, setting.village, [adult]).members[0]!);
  const attempt =
    (insureeId: string, joinDate = '2024-03-01') =>
    (tx: EntityManager) =>
      addMemberToPolicy(tx, { policyId: home.policyId, insureeId, joinDate }, onPayment);
  t.equal(await failure(db, attempt(stranger.id)), 'policy.member-not-in-family');
  const head = (await loadCover(db, home.policyId))[0]!.insuree;
  t.equal(await failure(db, attempt(head.id)), 'policy.member-already-covered');
  t.equal(await failure(db, attempt(head.id, '2025-02-01')), 'policy.join-date-outside-period');

  await join(home, '2024-03-01');
  await join(home, '2024-03-02');
  const sixth = await write(db, async (tx) => admit(tx, home.family));
  t.equal(await failure(db, attempt(sixth.id)), 'policy.family-too-large', 'a 6th member (at most 5)');
  t.equal((await loadCover(db, home.policyId)).length, 5, 'five covered');
  t.equal(await reader(db).count(Insuree, { family: home.family.id }), 6, 'the family itself may grow');
});
