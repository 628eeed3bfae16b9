import { readFileSync } from 'node:fs';
import t from 'tap';
import { allocateWaitingPayments } from '../../src/integrations/payments/allocate-inbox.ts';
import { mtnClientFrom } from '../../src/integrations/payments/clients/mtn-client.ts';
import { verifyUnsigned } from '../../src/integrations/payments/verify-unsigned.ts';
import { pollMtnRequestsJob } from '../../src/platform/jobs/poll-mtn-requests.job.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import { allocatedHere, allocateOne } from './allocate-one.ts';
import { allocateNow, policyToPay, rules, SECRETS, type PolicyToPay } from './payment-scheme.ts';
import { startProviderStub } from './provider-stub.ts';

const stub = await startProviderStub(t);
const kinga = await buildTestApp(t, { ...SECRETS, ...stub.config });
const db = kinga.database;
const currency = kinga.config.CURRENCY;
/** MTN's RequestToPayResult sample (fixtures README): the callback and the status GET body. */
const fixture = JSON.parse(
  readFileSync(
    new URL('../fixtures/payments/mtn-momo-requesttopay-result.successful.json', import.meta.url),
    'utf8',
  ),
);

/** The fixture, for our reference and amount, with `changes` (status, reason…). */
const result = (policy: PolicyToPay, changes: object = {}) => ({
  ...fixture,
  financialTransactionId: unique('9'),
  externalId: policy.reference,
  amount: '100',
  currency,
  ...changes,
});

async function ask(policy: PolicyToPay, phone = '+256772123456') {
  const response = await kinga.app.inject({
    method: 'POST',
    url: '/payments/requests',
    headers: { authorization: `Bearer ${await kinga.token('system/PaymentNotice.c')}` },
    payload: { provider: 'mtn', reference: policy.reference, phone },
  });
  const requestId: string = response.json().requestId;
  return {
    response,
    requestId,
    callback: `/payments/mtn/${SECRETS.MTN_CALLBACK_SECRET}/requesttopay/${requestId}`,
  };
}

const callBack = (url: string, body: object, method: 'PUT' | 'POST' = 'PUT') =>
  kinga.app.inject({ method, url, payload: body, headers: { 'content-type': 'application/json' } });

const inbox = async (requestId: string) =>
  (
    await db.pool.query(
      `select status, last_error, attempts, headers, event from payment_inbox where provider = 'mtn' and provider_txn_id = $1`,
      [requestId],
    )
  ).rows;

const policyStatus = async (policy: PolicyToPay) =>
  (await db.pool.query('select status from policy where id = $1', [policy.policyId])).rows[0].status;

t.test('a RequestToPay is stored and sent to MTN with its headers and body', async (t) => {
  const policy = await policyToPay(db);
  const { response, requestId } = await ask(policy);
  t.equal(response.statusCode, 202);
  t.same(response.json(), {
    provider: 'mtn',
    requestId,
    reference: policy.reference,
    amount: '100.00',
    currency,
  });
  t.match(requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUID v4');
  const sent = stub.mtn.requests.find((r) => r.headers['x-reference-id'] === requestId);
  t.ok(sent, 'MTN was asked with our X-Reference-Id');
  t.match(sent!.headers, {
    authorization: /^Bearer mtn-/,
    'ocp-apim-subscription-key': 'stub-subscription-key',
    'x-target-environment': 'sandbox',
    'x-callback-url': `http://kinga.test/payments/mtn/${SECRETS.MTN_CALLBACK_SECRET}/requesttopay/${requestId}`,
    'content-type': /application\/json/,
  });
  t.same(sent!.body, {
    amount: '100.00',
    currency,
    externalId: policy.reference,
    payer: { partyIdType: 'MSISDN', partyId: '256772123456' },
    payerMessage: `Insurance premium ${policy.reference}`,
    payeeNote: `Payment reference ${policy.reference}`,
  });
  const stored = await db.pool.query(
    `select reference, amount, currency, payer, status from payment_request where provider = 'mtn' and provider_request_id = $1`,
    [requestId],
  );
  t.same(stored.rows, [
    { reference: policy.reference, amount: '100.00', currency, payer: '256772123456', status: 'pending' },
  ]);
  const again = await ask(policy);
  t.equal(stub.mtn.tokensIssued, 1, 'the OAuth token is reused');
  t.not(again.requestId, requestId, 'each request has its own X-Reference-Id');
});

t.test('asking needs a PaymentNotice.c token and an open reference', async (t) => {
  const policy = await policyToPay(db);
  const payload = { provider: 'mtn', reference: policy.reference, phone: '256772123456' };
  const anonymous = await kinga.app.inject({ method: 'POST', url: '/payments/requests', payload });
  t.equal(anonymous.statusCode, 401);
  t.match(anonymous.headers['content-type'], /application\/problem\+json/);
  const reader = await kinga.app.inject({
    method: 'POST',
    url: '/payments/requests',
    headers: { authorization: `Bearer ${await kinga.token('system/PaymentNotice.rs')}` },
    payload,
  });
  t.equal(reader.statusCode, 403);
  t.equal(reader.json().title, 'auth.scope-missing');
  const unknown = await kinga.app.inject({
    method: 'POST',
    url: '/payments/requests',
    headers: { authorization: `Bearer ${await kinga.token('system/PaymentNotice.c')}` },
    payload: { ...payload, reference: '000000000000' },
  });
  t.equal(unknown.statusCode, 422);
  t.equal(unknown.json().title, 'payment.reference-unknown');
  const before = stub.mtn.requests.length;
  const badPhone = await kinga.app.inject({
    method: 'POST',
    url: '/payments/requests',
    headers: { authorization: `Bearer ${await kinga.token('system/PaymentNotice.c')}` },
    payload: { ...payload, phone: '07-72 123' },
  });
  t.equal(badPhone.statusCode, 400);
  t.equal(stub.mtn.requests.length, before, 'MTN is not asked');
});

t.test('a SUCCESSFUL callback is allocated: the policy becomes active', async (t) => {
  const policy = await policyToPay(db);
  const { requestId, callback } = await ask(policy);
  const body = result(policy);
  const answer = await callBack(callback, body);
  t.equal(answer.statusCode, 200);
  const [entry] = await inbox(requestId);
  t.match(entry.event, {
    provider: 'mtn',
    providerTxnId: requestId,
    providerCorrelationId: body.financialTransactionId,
    amount: '100',
    status: 'completed',
    payer: '0248888736',
  });
  await allocateNow(db);
  t.equal((await inbox(requestId))[0].status, 'allocated');
  t.equal(await policyStatus(policy), 'active');
  const notice = validFhir(
    t,
    await kinga.fhir({
      method: 'GET',
      url: `/fhir/R4/PaymentNotice?identifier=${body.financialTransactionId}`,
    }),
  );
  t.equal(notice.entry?.length, 1, 'the premium is receipted with the financialTransactionId');
  t.equal(notice.entry[0].resource.amount.value, 100);
  const request = await db.pool.query(`select status from payment_request where provider_request_id = $1`, [
    requestId,
  ]);
  t.equal(request.rows[0].status, 'answered');
});

t.test('a FAILED callback (POST) is recorded as failed and the policy does not move', async (t) => {
  const policy = await policyToPay(db);
  const { requestId, callback } = await ask(policy);
  const answer = await callBack(
    callback,
    result(policy, { status: 'FAILED', reason: 'APPROVAL_REJECTED', financialTransactionId: undefined }),
    'POST',
  );
  t.equal(answer.statusCode, 200);
  await allocateNow(db);
  const [entry] = await inbox(requestId);
  t.equal(entry.status, 'failed');
  t.equal(entry.last_error, 'APPROVAL_REJECTED');
  t.equal(await policyStatus(policy), 'idle');
});

t.test('a PENDING callback is acknowledged and nothing is stored', async (t) => {
  const policy = await policyToPay(db);
  const { requestId, callback } = await ask(policy);
  const answer = await callBack(
    callback,
    result(policy, { status: 'PENDING', financialTransactionId: undefined }),
  );
  t.equal(answer.statusCode, 200);
  t.same(await inbox(requestId), []);
});

t.test('a request with no callback is polled and allocated; a late callback changes nothing', async (t) => {
  const policy = await policyToPay(db);
  const { requestId, callback } = await ask(policy);
  const waiting = await policyToPay(db);
  const still = await ask(waiting);
  const body = result(policy);
  stub.mtn.statuses.set(requestId, body);
  stub.mtn.statuses.set(still.requestId, result(waiting, { status: 'PENDING' }));
  await db.pool.query(
    `update payment_request set created_at = now() - interval '10 minutes' where provider_request_id = any($1)`,
    [[requestId, still.requestId]],
  );
  const job = pollMtnRequestsJob(kinga.config);
  const summary = await job.run({}, { orm: db.orm, log: kinga.app.log });
  t.match(summary, { stored: 1, pending: 1, errors: 0 });
  const [polled] = await inbox(requestId);
  t.same(polled.headers, { source: 'status-poll' });
  t.equal(polled.event.providerCorrelationId, body.financialTransactionId);
  t.same(await inbox(still.requestId), [], 'still pending at MTN: nothing stored');
  await allocateNow(db);
  t.equal(await policyStatus(policy), 'active');

  const late = await callBack(callback, body);
  t.equal(late.statusCode, 200, 'the late callback is acknowledged');
  await allocateNow(db);
  t.equal((await inbox(requestId)).length, 1, 'one inbox entry');
  const premiums = await db.pool.query(`select count(*)::int as n from premium where policy_id = $1`, [
    policy.policyId,
  ]);
  t.equal(premiums.rows[0].n, 1, 'one premium');

  await job.run({}, { orm: db.orm, log: kinga.app.log });
  t.equal(
    stub.mtn.statusCalls.filter((id) => id === requestId).length,
    1,
    'an answered request is not polled again',
  );
  t.equal(stub.mtn.statusCalls.filter((id) => id === still.requestId).length, 2, 'a pending one is');
});

t.test('with verification, only what MTN confirms for the same amount is allocated', async (t) => {
  const verify = verifyUnsigned({ mtn: mtnClientFrom(kinga.config) }, db.pool);
  const pay = (statusAtMtn: (policy: PolicyToPay) => object) =>
    allocatedHere(async () => {
      const policy = await policyToPay(db);
      const { requestId, callback } = await ask(policy);
      stub.mtn.statuses.set(requestId, statusAtMtn(policy));
      await callBack(callback, result(policy));
      return { policy, requestId, status: await allocateOne(db, 'mtn', requestId, verify) };
    });

  const confirmed = await pay((policy) => result(policy));
  t.equal(confirmed.status, 'allocated');
  t.equal(await policyStatus(confirmed.policy), 'active');

  const denied = await pay((policy) => result(policy, { status: 'FAILED', reason: 'EXPIRED' }));
  t.equal(denied.status, 'failed', 'MTN says the payment failed: the callback is not believed');
  t.equal((await inbox(denied.requestId))[0].last_error, 'the provider does not confirm this payment');
  t.equal(await policyStatus(denied.policy), 'idle');

  const other = await pay((policy) => result(policy, { amount: '10' }));
  t.equal(other.status, 'failed', 'MTN confirms another amount');
  t.equal(await policyStatus(other.policy), 'idle');
  t.ok(stub.mtn.statusCalls.includes(denied.requestId), 'MTN was asked');
});

t.test('MTN is asked with no transaction holding the entry (a slow status API holds no lock)', async (t) => {
  const asked = verifyUnsigned({ mtn: mtnClientFrom(kinga.config) }, db.pool);
  const lockFreeWhileAsked: boolean[] = [];
  const verify = async (event: Parameters<typeof asked>[0]) => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      // NOWAIT fails at once if the allocation's transaction already held the row.
      const locked = await client
        .query(
          `select id from payment_inbox where provider = 'mtn' and provider_txn_id = $1 for update nowait`,
          [event.providerTxnId],
        )
        .then((r) => r.rowCount === 1)
        .catch(() => false);
      lockFreeWhileAsked.push(locked);
    } finally {
      await client.query('rollback');
      client.release();
    }
    return asked(event);
  };
  const paid = await allocatedHere(async () => {
    const policy = await policyToPay(db);
    const { requestId, callback } = await ask(policy);
    stub.mtn.statuses.set(requestId, result(policy));
    await callBack(callback, result(policy));
    return { policy, status: await allocateOne(db, 'mtn', requestId, verify) };
  });
  t.equal(paid.status, 'allocated');
  t.equal(await policyStatus(paid.policy), 'active');
  t.ok(lockFreeWhileAsked.length > 0, 'the provider was asked');
  t.ok(lockFreeWhileAsked.every(Boolean), 'the entry was free to lock while MTN was asked');
});

t.test(
  'the job asks about each entry once a run, with no lock held, and leaves an unconfirmed one waiting',
  async (t) => {
    // Other files' entries may be in the inbox too: they are confirmed, as their own runs would
    // allocate them. Another file's run may also take ours first: then the scenario is made again.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const policy = await policyToPay(db);
      const { requestId, callback } = await ask(policy);
      await callBack(callback, result(policy));
      const asked: { lockFree: boolean }[] = [];
      const verify = async (event: { providerTxnId: string }) => {
        if (event.providerTxnId !== requestId) {
          return 'confirmed' as const;
        }
        const client = await db.pool.connect();
        try {
          await client.query('begin');
          const lockFree = await client
            .query('select id from payment_inbox where provider_txn_id = $1 for update nowait', [requestId])
            .then(() => true)
            .catch(() => false);
          asked.push({ lockFree });
        } finally {
          await client.query('rollback');
          client.release();
        }
        return 'unknown' as const;
      };
      await allocateWaitingPayments(db.orm, { rules, today: '2024-06-10', verify });
      if (asked.length === 0) {
        continue;
      }
      t.equal(asked.length, 1, 'asked once in the run, though it stays waiting');
      t.ok(asked[0]!.lockFree, 'no transaction held the entry while the provider was asked');
      const [entry] = await inbox(requestId);
      // Unless another file's run (unverified) allocated it since.
      if (entry.status === 'received') {
        t.equal(entry.attempts, 1, 'the attempt is counted');
        t.equal(entry.last_error, 'the provider could not confirm this payment yet');
      }
      return;
    }
    t.fail('another file allocated the entry first, three times');
  },
);

t.test('a wrong path secret is 404 and nothing is stored', async (t) => {
  const policy = await policyToPay(db);
  const { requestId } = await ask(policy);
  const answer = await callBack(
    `/payments/mtn/not-the-secret-0123456789/requesttopay/${requestId}`,
    result(policy),
  );
  t.equal(answer.statusCode, 404);
  t.same(await inbox(requestId), []);
});
