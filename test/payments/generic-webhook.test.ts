import { createHash, randomBytes } from 'node:crypto';
import t from 'tap';
import { webhookSignature } from '../../src/integrations/payments/providers/standard-webhooks.ts';
import { requestFingerprint } from '../../src/platform/idempotency/idempotency-key.ts';
import { IdempotencyStore } from '../../src/platform/idempotency/idempotency-store.ts';
import { buildTestApp, unique } from '../helpers/test-app.ts';
import { allocateNow, policyToPay, SECRETS } from './payment-scheme.ts';
import { inboxRows, ledger, published } from './policy-state.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const kinga = await buildTestApp(t, { ...SECRETS, PAYMENT_WEBHOOK_SECRET: SECRET });
const db = kinga.database;

/** The documented body: the gateway's transaction id, our reference, decimal amount, outcome, date. */
function payment(reference: string, amount: string | number, status = 'completed', id = unique('GW')) {
  return {
    id,
    reference,
    amount,
    currency: kinga.config.CURRENCY,
    status,
    occurredAt: '2024-06-05T09:30:00+03:00',
    payer: '2557****123',
  };
}

interface Delivery {
  key?: string | null;
  webhookId?: string;
  /** Seconds from now the attempt claims to have been made. */
  age?: number;
  signature?: string;
  secret?: string;
}

/** Posts `body` as a Standard Webhooks sender would, with an Idempotency-Key. */
function deliver(body: unknown, delivery: Delivery = {}) {
  const text = JSON.stringify(body);
  const id = delivery.webhookId ?? unique('msg_');
  const timestamp = String(Math.floor(Date.now() / 1000) - (delivery.age ?? 0));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature':
      delivery.signature ??
      `v1a,bm90LXRoaXM= ${webhookSignature(delivery.secret ?? SECRET, id, timestamp, text)}`,
  };
  if (delivery.key !== null) {
    headers['idempotency-key'] = delivery.key ?? unique('idem-');
  }
  return kinga.app.inject({ method: 'POST', url: '/payments/webhook', headers, payload: text });
}

t.test('an exact payment: acknowledged, allocated, the policy active from the payment date', async (t) => {
  const policy = await policyToPay(db);
  const body = payment(policy.reference, '100.00');
  const res = await deliver(body);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { received: true, id: body.id });
  t.equal(await inboxRows(db, 'generic', body.id), 1);
  await allocateNow(db);
  const state = await published(t, kinga, policy.policyId);
  t.equal(state.status, 'active');
  t.same(state.account, { value: 100, paid: 100, balance: 0, credit: 0 });
  const effective = await db.pool.query('select effective_date::text from policy where id = $1', [
    policy.policyId,
  ]);
  t.equal(effective.rows[0].effective_date, '2024-06-05');
});

t.test(
  'a partial payment (40.00 of 100.00, sent as a JSON number) leaves the policy idle, 60.00 due',
  async (t) => {
    const policy = await policyToPay(db);
    t.equal((await deliver(payment(policy.reference, 40))).statusCode, 200);
    await allocateNow(db);
    const state = await published(t, kinga, policy.policyId);
    t.equal(state.status, 'idle');
    t.same(state.account, { value: 100, paid: 40, balance: 60, credit: 0 });
    const reference = await db.pool.query(
      'select paid_amount::text, status from payment_reference where reference = $1',
      [policy.reference],
    );
    t.same(reference.rows[0], { paid_amount: '40.00', status: 'open' });
  },
);

t.test('an over-payment (130.00) activates the policy and keeps 30.00 as credit', async (t) => {
  const policy = await policyToPay(db);
  t.equal((await deliver(payment(policy.reference, '130.00'))).statusCode, 200);
  await allocateNow(db);
  const state = await published(t, kinga, policy.policyId);
  t.equal(state.status, 'active');
  t.same(state.account, { value: 100, paid: 130, balance: 0, credit: 30 }, 'the excess is credit, not lost');
});

t.test('a reversal is a compensating entry: the policy goes back to idle', async (t) => {
  const policy = await policyToPay(db);
  const paid = payment(policy.reference, '100.00');
  t.equal((await deliver(paid)).statusCode, 200);
  await allocateNow(db);
  t.equal((await published(t, kinga, policy.policyId)).status, 'active');
  const reversed = { ...paid, status: 'reversed', occurredAt: '2024-06-07' };
  const res = await deliver(reversed);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { received: true, id: paid.id });
  await allocateNow(db);
  t.same(await ledger(db, policy.policyId), ['payment 100.00', 'reversal -100.00']);
  const state = await published(t, kinga, policy.policyId);
  t.equal(state.status, 'idle');
  t.same(state.account, { value: 100, paid: 0, balance: 100, credit: 0 });
});

t.test('a failed payment is recorded and changes nothing', async (t) => {
  const policy = await policyToPay(db);
  const body = payment(policy.reference, '100.00', 'failed');
  t.equal((await deliver(body)).statusCode, 200);
  await allocateNow(db);
  const row = await db.pool.query('select status from payment_inbox where provider_txn_id = $1', [body.id]);
  t.equal(row.rows[0].status, 'failed');
  t.same(await ledger(db, policy.policyId), []);
  t.equal((await published(t, kinga, policy.policyId)).status, 'idle');
});

t.test('forged, stale or replayed deliveries are 401 and store nothing', async (t) => {
  const policy = await policyToPay(db);
  const body = payment(policy.reference, '100.00');
  const before = await inboxRows(db, 'generic');
  const cases: [string, Delivery][] = [
    ['signed with another secret', { secret: `whsec_${randomBytes(32).toString('base64')}` }],
    ['a signature that is not one', { signature: 'v1,AAAA' }],
    ['no v1 signature at all', { signature: 'v1a,bm90LXRoaXM=' }],
    ['a timestamp 6 minutes old', { age: 360 }],
    ['a timestamp 6 minutes ahead', { age: -360 }],
  ];
  for (const [label, delivery] of cases) {
    t.equal((await deliver(body, delivery)).statusCode, 401, label);
  }
  // A delivery captured and replayed byte for byte after the tolerance.
  const webhookId = unique('msg_');
  const timestamp = String(Math.floor(Date.now() / 1000) - 301);
  const text = JSON.stringify(body);
  const replay = await kinga.app.inject({
    method: 'POST',
    url: '/payments/webhook',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': 'captured-key',
      'webhook-id': webhookId,
      'webhook-timestamp': timestamp,
      'webhook-signature': webhookSignature(SECRET, webhookId, timestamp, text),
    },
    payload: text,
  });
  t.equal(replay.statusCode, 401, 'replayed after 5 minutes');
  const missing = await kinga.app.inject({
    method: 'POST',
    url: '/payments/webhook',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
    payload: text,
  });
  t.equal(missing.statusCode, 401, 'no signature headers');
  t.equal(await inboxRows(db, 'generic'), before, 'the inbox is unchanged');
  t.same(await ledger(db, policy.policyId), []);
});

t.test('Idempotency-Key: required; replayed; another body under it is 422; in flight 409', async (t) => {
  const policy = await policyToPay(db);
  const body = payment(policy.reference, '100.00');
  const none = await deliver(body, { key: null });
  t.equal(none.statusCode, 400, 'no Idempotency-Key');
  t.equal(await inboxRows(db, 'generic', body.id), 0);

  const key = unique('idem-');
  const first = await deliver(body, { key });
  const webhookId = unique('msg_');
  // The sender's retry: the same message, a new attempt (timestamp, signature) within the tolerance.
  const retry = await deliver(body, { key, webhookId });
  t.equal(first.statusCode, 200);
  t.equal(retry.statusCode, 200);
  t.equal(retry.body, first.body, 'the first answer, again');
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.equal(await inboxRows(db, 'generic', body.id), 1);

  const other = await deliver({ ...body, amount: '10.00' }, { key });
  t.equal(other.statusCode, 422, 'the same key with another body');

  const pending = payment(policy.reference, '100.00');
  const pendingKey = unique('idem-');
  const digest = createHash('sha256').update(JSON.stringify(pending)).digest('hex');
  const store = new IdempotencyStore(db.pool, 1);
  const claim = await store.claim(
    { clientId: 'payments:webhook', method: 'POST', path: '/payments/webhook', key: pendingKey },
    requestFingerprint('POST', '/payments/webhook', digest),
  );
  t.equal(claim.kind, 'claimed', 'a first delivery is being stored');
  t.equal((await deliver(pending, { key: pendingKey })).statusCode, 409, 'its retry meanwhile');
  t.equal(await inboxRows(db, 'generic', pending.id), 0);
});

t.test('malformed bodies are 400 and claim no key', async (t) => {
  const policy = await policyToPay(db);
  const key = unique('idem-');
  const bad = [
    { ...payment(policy.reference, '100.001') },
    { ...payment(policy.reference, '-5') },
    { ...payment(policy.reference, '100.00'), currency: 'USD' },
    { ...payment(policy.reference, '100.00'), status: 'pending' },
    { ...payment(policy.reference, '100.00'), occurredAt: '2024-02-30' },
    { ...payment(policy.reference, '100.00'), id: '' },
    // Published as PaymentNotice.identifier, it would be invalid FHIR (inbox-store.ts).
    { ...payment(policy.reference, '100.00'), id: `${unique('GW')}\u0007` },
  ];
  for (const body of bad) {
    t.equal((await deliver(body, { key })).statusCode, 400, JSON.stringify(body));
  }
  const good = payment(policy.reference, '100.00');
  t.equal((await deliver(good, { key })).statusCode, 200, 'the key is still free');
});

t.test('100 concurrent duplicates: one inbox row, one premium', async (t) => {
  const policy = await policyToPay(db);
  const body = payment(policy.reference, '100.00');
  const key = unique('idem-');
  // At once: half retry under one key, half come under keys of their own.
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? deliver(body, { key }) : deliver(body))),
  );
  const sameKey = answers.filter((_, i) => i % 2 === 0);
  t.ok(
    sameKey.every((a) => a.statusCode === 200 || a.statusCode === 409),
    'the same key: answered, or in flight',
  );
  t.ok(sameKey.some((a) => a.statusCode === 200));
  t.ok(
    answers.filter((_, i) => i % 2 === 1).every((a) => a.statusCode === 200),
    'a key each: all answered',
  );
  t.equal(await inboxRows(db, 'generic', body.id), 1);
  await allocateNow(db);
  await allocateNow(db);
  t.same(await ledger(db, policy.policyId), ['payment 100.00']);
});

t.test(
  'a reversal taken while its payment is being allocated waits for it, then takes it back',
  async (t) => {
    const policy = await policyToPay(db);
    const paid = payment(policy.reference, '100.00');
    t.equal((await deliver(paid)).statusCode, 200);
    t.equal((await deliver({ ...paid, status: 'reversed', occurredAt: '2024-06-07' })).statusCode, 200);
    // Both wait in the inbox: the run's workers take them at once, the reversal while the payment's
    // transaction has not committed its premium yet.
    await allocateNow(db);
    const rows = await db.pool.query<{ provider_txn_id: string; status: string }>(
      'select provider_txn_id, status from payment_inbox where provider_txn_id in ($1, $2) order by received_at',
      [paid.id, `${paid.id}:reversed`],
    );
    t.same(
      rows.rows.map((r) => r.status),
      ['allocated', 'allocated'],
      'the reversal found its payment: no exception for staff',
    );
    t.same(await ledger(db, policy.policyId), ['payment 100.00', 'reversal -100.00']);
    t.equal((await published(t, kinga, policy.policyId)).status, 'idle');
  },
);
