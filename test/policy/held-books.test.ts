import t from 'tap';
import { liveLedgersOf, liveMembersOf, reversalsOf } from '../../src/domain/policy/held-books.ts';
import { openLedger } from '../../src/domain/policy/policy-book.ts';
import { recordPremium } from '../../src/domain/policy/record-premium.ts';
import { reversePremium } from '../../src/domain/policy/reverse-premium.ts';
import { emQueryable } from '../../src/platform/database/queryable.ts';
import { sql } from '../../src/platform/database/sql.ts';
import { unique } from '../helpers/test-app.ts';
import {
  cashPayment,
  enrolledPolicy,
  loadCover,
  loadLedger,
  makePlaces,
  makeProduct,
  onPayment,
  openTestDatabase,
  write,
} from './scheme-fixtures.ts';

const db = await openTestDatabase(t);

const setting = await write(db, async (tx) => {
  const { village } = makePlaces(tx);
  return { village, product: makeProduct(tx, { premiumAdult: '40.00', premiumChild: '20.00' }) };
});

const enrolled = () => enrolledPolicy(db, setting.village, setting.product.id);

const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);

t.test(
  'a held book is read from memory, with what the transaction added, in the order a query gives',
  async (t) => {
    const policyId = await enrolled();
    const other = await enrolled();
    await write(db, (tx) => recordPremium(tx, cashPayment(policyId, '30.00', '2024-06-10'), onPayment));
    await write(db, (tx) => recordPremium(tx, cashPayment(other, '10.00', '2024-06-05'), onPayment));

    const seen = await write(db, async (tx) => {
      // An entry dated before the one already recorded: the ledger is by pay date, then id.
      const { premium } = await recordPremium(tx, cashPayment(policyId, '20.00', '2024-06-02'), onPayment);
      const reversal = await reversePremium(tx, { premiumId: premium.id, date: '2024-06-03' }, onPayment);
      await tx.flush();
      // Written behind the ORM's back, as nothing in Kinga does: a held book does not see it,
      // which shows the book is read from memory (the policy's lock keeps others from writing it).
      await emQueryable(tx).query(sql`
      insert into premium (id, created_at, updated_at, version, policy_id, product_id, kind, amount, receipt, pay_date, pay_type)
      select gen_random_uuid(), now(), now(), 1, id, product_id, 'payment', 1.00, ${unique('X')}, '2024-06-20', 'C'
        from policy where id = ${policyId}`);
      return {
        ledger: await liveLedgersOf(tx, [policyId, other]),
        members: await liveMembersOf(tx, [other, policyId]),
        reversals: await reversalsOf(tx, [premium]),
        reversalId: reversal.reversal.id,
      };
    });

    const stored = [...(await loadLedger(db, policyId)), ...(await loadLedger(db, other))];
    const expected = stored
      .filter((e) => e.amount !== '1.00')
      .sort((a, b) => (a.payDate < b.payDate ? -1 : a.payDate > b.payDate ? 1 : a.id < b.id ? -1 : 1));
    t.same(
      ids(seen.ledger),
      ids(expected),
      'both policies, by pay date then id, without the entry written behind',
    );
    t.same(
      seen.ledger.filter((e) => e.policy.id === policyId).map((e) => [e.payDate, e.kind, e.amount]),
      [
        ['2024-06-02', 'payment', '20.00'],
        ['2024-06-03', 'reversal', '-20.00'],
        ['2024-06-10', 'payment', '30.00'],
      ],
    );
    const members = [...(await loadCover(db, policyId)), ...(await loadCover(db, other))];
    t.same(ids(seen.members), ids(members).sort(), 'members of both, by id');
    t.same(ids(seen.reversals), [seen.reversalId], 'the reversal of the payment, from memory');

    // Once the transaction is over, nothing is held: the entry written behind is read.
    const after = await write(db, (tx) => liveLedgersOf(tx, [policyId]));
    t.equal(after.length, 4);
  },
);

t.test('a book is held only by the transaction that opened it', async (t) => {
  const policyId = await enrolled();
  await write(db, (tx) => recordPremium(tx, cashPayment(policyId, '30.00', '2024-06-10'), onPayment));
  await write(db, async (opened) => {
    await openLedger(opened, policyId);
    const elsewhere = db.orm.em.fork();
    // Another entity manager holds nothing: it reads the ledger (the row lock does not stop a read).
    t.equal((await liveLedgersOf(elsewhere, [policyId])).length, 1);
  });
});

// A transaction Bundle clears the entity manager between its entries (process-bundle.ts): a book
// held by an earlier entry is no longer in memory, and must be read again, not taken as empty.
t.test('a book is no longer held once the identity map is cleared', async (t) => {
  const policyId = await enrolled();
  await write(db, (tx) => recordPremium(tx, cashPayment(policyId, '30.00', '2024-06-10'), onPayment));
  const seen = await write(db, async (tx) => {
    await openLedger(tx, policyId);
    tx.clear();
    const afterClear = {
      ledger: await liveLedgersOf(tx, [policyId]),
      members: await liveMembersOf(tx, [policyId]),
    };
    // Held again by the next entry that opens it.
    await openLedger(tx, policyId);
    return { ...afterClear, reopened: await liveLedgersOf(tx, [policyId]) };
  });
  t.same(
    seen.ledger.map((e) => e.amount),
    ['30.00'],
    'the ledger, read again',
  );
  t.same(ids(seen.members), ids(await loadCover(db, policyId)).sort(), 'the members, read again');
  t.same(
    seen.reopened.map((e) => e.amount),
    ['30.00'],
  );
});
