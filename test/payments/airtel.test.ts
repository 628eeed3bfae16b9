import { readFileSync } from 'node:fs';
import t from 'tap';
import { newId } from '../../src/domain/shared/ids.ts';
import { airtelHash } from '../../src/integrations/payments/providers/airtel.ts';
import { buildTestApp, unique } from '../helpers/test-app.ts';
import { allocateNow, policyToPay, SECRETS, type PolicyToPay } from './payment-scheme.ts';
import { inboxRows, ledger, published } from './policy-state.ts';

const HASH_KEY = 'airtel-callback-hash-key-for-tests';
const kinga = await buildTestApp(t, { ...SECRETS, AIRTEL_HASH_KEY: HASH_KEY });
const db = kinga.database;
const url = `/payments/airtel/${SECRETS.AIRTEL_CALLBACK_SECRET}/callback`;

/** The documented sample callback (fixtures README: Airtel developer portal, verbatim). */
const fixtureText = readFileSync(
  new URL('../fixtures/payments/airtel-collection-callback.authenticated.json', import.meta.url),
  'utf8',
);
const fixture = JSON.parse(fixtureText) as {
  transaction: { id: string; message: string; status_code: string; airtel_money_id: string };
  hash: string;
};

/** The fixture with our transaction id and status, hashed over the `transaction` object's JSON. */
function callback(id: string, statusCode = 'TS') {
  const transaction = { ...fixture.transaction, id, status_code: statusCode, airtel_money_id: `MP${id}` };
  return { transaction, hash: airtelHash(HASH_KEY, JSON.stringify(transaction)) };
}

const post = (body: unknown, path = url) =>
  kinga.app.inject({
    method: 'POST',
    url: path,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

/** A USSD push Kinga asked Airtel for: transaction.id → the reference and the amount asked. */
async function requested(policy: PolicyToPay, amount: string): Promise<string> {
  const id = unique('AT');
  await db.pool.query(
    `insert into payment_request (id, provider, provider_request_id, reference, amount, currency, payer, status, created_at)
     values ($1, 'airtel', $2, $3, $4, $5, '752****21', 'pending', now())`,
    [newId(), id, policy.reference, amount, kinga.config.CURRENCY],
  );
  return id;
}

t.test(
  'the fixture, for a USSD push Kinga made: allocated with the amount asked; the policy is active',
  async (t) => {
    const policy = await policyToPay(db);
    const id = await requested(policy, '100.00');
    const res = await post(callback(id));
    t.equal(res.statusCode, 200);
    t.equal(await inboxRows(db, 'airtel', id), 1);
    await allocateNow(db);
    const row = await db.pool.query(
      'select status, amount::text from payment_inbox where provider_txn_id = $1',
      [id],
    );
    t.same(row.rows[0], { status: 'allocated', amount: '100.00' }, 'the amount came from the request');
    t.same(await ledger(db, policy.policyId), ['payment 100.00']);
    const state = await published(t, kinga, policy.policyId);
    t.equal(state.status, 'active');
    t.same(state.account, { value: 100, paid: 100, balance: 0, credit: 0 });
    const request = await db.pool.query('select status from payment_request where provider_request_id = $1', [
      id,
    ]);
    t.equal(request.rows[0].status, 'answered');
  },
);

t.test(
  'transaction.id being the payment reference: the amount is what the reference still expects',
  async (t) => {
    const policy = await policyToPay(db);
    const res = await post(callback(policy.reference));
    t.equal(res.statusCode, 200);
    await allocateNow(db);
    t.same(await ledger(db, policy.policyId), ['payment 100.00']);
    t.equal((await published(t, kinga, policy.policyId)).status, 'active');
  },
);

t.test('a partial push (40.00 of 100.00) leaves the policy idle with 60.00 due', async (t) => {
  const policy = await policyToPay(db);
  const id = await requested(policy, '40.00');
  t.equal((await post(callback(id))).statusCode, 200);
  await allocateNow(db);
  const state = await published(t, kinga, policy.policyId);
  t.equal(state.status, 'idle');
  t.same(state.account, { value: 100, paid: 40, balance: 60, credit: 0 });
});

t.test('an over-payment (130.00) activates and keeps 30.00 as credit', async (t) => {
  const policy = await policyToPay(db);
  const id = await requested(policy, '130.00');
  t.equal((await post(callback(id))).statusCode, 200);
  await allocateNow(db);
  const state = await published(t, kinga, policy.policyId);
  t.equal(state.status, 'active');
  t.same(state.account, { value: 100, paid: 130, balance: 0, credit: 30 }, 'the excess is credit, not lost');
});

t.test(
  'TF is a failed payment: stored, nothing credited; an intermediate status stores nothing',
  async (t) => {
    const policy = await policyToPay(db);
    const id = await requested(policy, '100.00');
    t.equal((await post(callback(id, 'TF'))).statusCode, 200);
    await allocateNow(db);
    const row = await db.pool.query('select status from payment_inbox where provider_txn_id = $1', [id]);
    t.equal(row.rows[0].status, 'failed');
    t.same(await ledger(db, policy.policyId), []);
    t.equal((await published(t, kinga, policy.policyId)).status, 'idle');
    const pending = await requested(policy, '100.00');
    t.equal((await post(callback(pending, 'TIP'))).statusCode, 200);
    t.equal(await inboxRows(db, 'airtel', pending), 0, 'in progress: nothing to record yet');
  },
);

t.test('the hash over the raw body (without its hash member) is accepted too', async (t) => {
  const policy = await policyToPay(db);
  const id = await requested(policy, '100.00');
  const unsigned = `{"transaction":{"id":"${id}","message":"Paid","status_code":"TS","airtel_money_id":"MP1"}`;
  const body = `${unsigned},"hash":"${airtelHash(HASH_KEY, `${unsigned}}`)}"}`;
  t.equal((await post(body)).statusCode, 200);
  t.equal(await inboxRows(db, 'airtel', id), 1);
});

t.test('forgeries are refused and store nothing', async (t) => {
  const policy = await policyToPay(db);
  const id = await requested(policy, '100.00');
  const before = await inboxRows(db, 'airtel');
  const { transaction } = callback(id);
  const cases: [string, unknown, number, string?][] = [
    ['no hash', { transaction }, 401],
    [
      'a hash under another key',
      { transaction, hash: airtelHash('not-the-key', JSON.stringify(transaction)) },
      401,
    ],
    [
      'a hash of another transaction',
      { transaction: { ...transaction, status_code: 'TS', id: 'X' }, hash: callback(id).hash },
      401,
    ],
    ['the documented sample hash (another app key)', fixtureText, 401],
    ['a wrong path secret', callback(id), 404, '/payments/airtel/not-the-secret-0123456789/callback'],
  ];
  for (const [label, body, status, path] of cases) {
    t.equal((await post(body, path)).statusCode, status, label);
  }
  t.equal(await inboxRows(db, 'airtel'), before, 'the inbox is unchanged');
  t.same(await ledger(db, policy.policyId), []);
});

t.test('100 concurrent deliveries: one inbox row, one premium', async (t) => {
  const policy = await policyToPay(db);
  const id = await requested(policy, '100.00');
  const answers = await Promise.all(Array.from({ length: 100 }, () => post(callback(id))));
  t.ok(answers.every((a) => a.statusCode === 200));
  t.equal(await inboxRows(db, 'airtel', id), 1);
  await allocateNow(db);
  await allocateNow(db);
  t.same(await ledger(db, policy.policyId), ['payment 100.00']);
});

t.test('without a hash key the documented sample is accepted as is, and waits for staff', async (t) => {
  const plain = await buildTestApp(t, SECRETS);
  const res = await plain.app.inject({
    method: 'POST',
    url,
    payload: fixtureText,
    headers: { 'content-type': 'application/json' },
  });
  t.equal(res.statusCode, 200);
  t.equal(await inboxRows(db, 'airtel', fixture.transaction.id), 1);
  await allocateNow(db);
  const row = await db.pool.query(
    `select status, event->>'providerCorrelationId' as correlation from payment_inbox where provider = 'airtel' and provider_txn_id = $1`,
    [fixture.transaction.id],
  );
  t.same(
    row.rows[0],
    { status: 'unmatched', correlation: 'MP210603.1234.L06941' },
    'no request, no reference',
  );
});

t.test('staff assign an Airtel payment that matched nothing, saying the amount received', async (t) => {
  const policy = await policyToPay(db);
  const id = unique('AX');
  await post(callback(id));
  await allocateNow(db);
  const entry = await db.pool.query(
    `select id, status from payment_inbox where provider = 'airtel' and provider_txn_id = $1`,
    [id],
  );
  t.equal(entry.rows[0].status, 'unmatched', 'no request of Kinga has that transaction id');
  const token = await kinga.token('system/PaymentNotice.u');
  const assigned = await kinga.app.inject({
    method: 'POST',
    url: `/payments/exceptions/${entry.rows[0].id}/assign`,
    headers: { authorization: `Bearer ${token}` },
    payload: { reference: policy.reference, amount: '40.00' },
  });
  t.equal(assigned.statusCode, 200, assigned.body);
  t.equal(assigned.json().status, 'assigned');
  const paid = await db.pool.query(
    `select coalesce(sum(amount), 0)::text as paid from premium where policy_id = $1`,
    [policy.policyId],
  );
  t.equal(paid.rows[0].paid, '40.00', 'the amount staff gave, not the 100.00 the reference expects');
});
