import { readFileSync } from 'node:fs';
import t from 'tap';
import { mpesaClientFrom } from '../../src/integrations/payments/clients/mpesa-client.ts';
import { verifyUnsigned } from '../../src/integrations/payments/verify-unsigned.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import { allocatedHere, allocateOne } from './allocate-one.ts';
import { allocateNow, policyToPay, SECRETS, type PolicyToPay } from './payment-scheme.ts';
import { startProviderStub, STUB_KEYS } from './provider-stub.ts';

const stub = await startProviderStub(t);
const kinga = await buildTestApp(t, {
  ...SECRETS,
  ...stub.config,
  MPESA_ALLOWED_IPS: '127.0.0.1, 196.201.214.200',
});
const db = kinga.database;
const stkUrl = `/payments/mpesa/${SECRETS.MPESA_CALLBACK_SECRET}/stk`;
/** Daraja's STK callback sample (fixtures README). */
const fixture = JSON.parse(
  readFileSync(
    new URL('../fixtures/payments/mpesa-daraja-stk-callback.success.json', import.meta.url),
    'utf8',
  ),
);

/** The fixture for `checkout`: paid (with a fresh receipt) or failed with `failure`'s code and text. */
function stk(checkout: string, amount = 100, failure?: { code: number; desc: string }) {
  const body = structuredClone(fixture);
  const callback = body.Body.stkCallback;
  callback.CheckoutRequestID = checkout;
  if (failure) {
    callback.ResultCode = failure.code;
    callback.ResultDesc = failure.desc;
    delete callback.CallbackMetadata;
    return body;
  }
  const items: { Name: string; Value?: unknown }[] = callback.CallbackMetadata.Item;
  const set = (name: string, value: unknown) => (items.find((i) => i.Name === name)!.Value = value);
  set('Amount', amount);
  set('MpesaReceiptNumber', unique('S').slice(0, 20));
  set('TransactionDate', 20240605102115);
  return body;
}
const receiptOf = (body: any): string =>
  body.Body.stkCallback.CallbackMetadata.Item.find((i: { Name: string }) => i.Name === 'MpesaReceiptNumber')
    .Value;

async function ask(policy: PolicyToPay, phone = '254712345678') {
  const response = await kinga.app.inject({
    method: 'POST',
    url: '/payments/requests',
    headers: { authorization: `Bearer ${await kinga.token('system/PaymentNotice.c')}` },
    payload: { provider: 'mpesa', reference: policy.reference, phone },
  });
  return { response, checkout: response.json().requestId as string };
}

const callBack = (body: object, url = stkUrl, remoteAddress?: string) =>
  kinga.app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: { 'content-type': 'application/json' },
    ...(remoteAddress ? { remoteAddress } : {}),
  });

const inbox = async (checkout: string) =>
  (
    await db.pool.query(
      `select status, last_error, event from payment_inbox where provider = 'mpesa' and provider_txn_id = $1`,
      [checkout],
    )
  ).rows;

const policyState = async (policy: PolicyToPay) =>
  (await db.pool.query('select status, effective_date::text from policy where id = $1', [policy.policyId]))
    .rows[0];

t.test('an STK push is sent to Daraja with its password and stored', async (t) => {
  const policy = await policyToPay(db);
  const { response, checkout } = await ask(policy, '+254712345678');
  t.equal(response.statusCode, 202);
  t.same(response.json(), {
    provider: 'mpesa',
    requestId: checkout,
    reference: policy.reference,
    amount: '100.00',
    currency: kinga.config.CURRENCY,
  });
  const push = stub.daraja.pushes.at(-1)!;
  t.match(push.headers.authorization, /^Bearer daraja-/);
  const { Password, Timestamp, ...rest } = push.body;
  t.match(Timestamp, /^\d{14}$/);
  t.equal(
    Buffer.from(Password, 'base64').toString(),
    `${STUB_KEYS.MPESA_SHORTCODE}${STUB_KEYS.MPESA_PASSKEY}${Timestamp}`,
    'Password = Base64(ShortCode + Passkey + Timestamp)',
  );
  t.same(rest, {
    BusinessShortCode: STUB_KEYS.MPESA_SHORTCODE,
    TransactionType: 'CustomerPayBillOnline',
    Amount: 100,
    PartyA: '254712345678',
    PartyB: STUB_KEYS.MPESA_SHORTCODE,
    PhoneNumber: '254712345678',
    CallBackURL: `http://kinga.test${stkUrl}`,
    AccountReference: policy.reference,
    TransactionDesc: 'Premium',
  });
  const stored = await db.pool.query(
    `select reference, amount, payer, status from payment_request where provider = 'mpesa' and provider_request_id = $1`,
    [checkout],
  );
  t.same(stored.rows, [
    { reference: policy.reference, amount: '100.00', payer: '254712345678', status: 'pending' },
  ]);
});

t.test('M-Pesa is asked for whole shillings: a balance with cents is rounded up', async (t) => {
  const policy = await policyToPay(db);
  const c2b = await callBack(
    {
      TransID: unique('RK'),
      TransTime: '20240605063845',
      TransAmount: '10.50',
      BillRefNumber: policy.reference,
    },
    `/payments/mpesa/${SECRETS.MPESA_CALLBACK_SECRET}/c2b/confirmation`,
  );
  t.equal(c2b.statusCode, 200);
  await allocateNow(db);
  const { response } = await ask(policy);
  t.equal(response.json().amount, '90.00', '89.50 owed, 90 asked');
  t.equal(stub.daraja.pushes.at(-1)!.body.Amount, 90);
});

t.test(
  'ResultCode 0 is allocated: the policy becomes active, receipted with MpesaReceiptNumber',
  async (t) => {
    const policy = await policyToPay(db);
    const { checkout } = await ask(policy);
    const body = stk(checkout);
    const answer = await callBack(body);
    t.equal(answer.statusCode, 200);
    t.same(answer.json(), { ResultCode: 0, ResultDesc: 'Accepted' });
    const [entry] = await inbox(checkout);
    t.match(entry.event, {
      providerTxnId: checkout,
      providerCorrelationId: receiptOf(body),
      amount: '100',
      payer: '254712345678',
      occurredAt: '2024-06-05',
      status: 'completed',
    });
    await allocateNow(db);
    t.equal((await inbox(checkout))[0].status, 'allocated');
    t.same(await policyState(policy), { status: 'active', effective_date: '2024-06-05' });
    const notice = validFhir(
      t,
      await kinga.fhir({ method: 'GET', url: `/fhir/R4/PaymentNotice?identifier=${receiptOf(body)}` }),
    );
    t.equal(notice.entry?.length, 1, 'the PaymentNotice is identified by the M-Pesa receipt');
  },
);

t.test('other ResultCodes are failures with their ResultDesc; the policy does not move', async (t) => {
  const policy = await policyToPay(db);
  const failures = [
    { code: 1032, desc: 'Request cancelled by user' },
    { code: 1037, desc: 'DS timeout user cannot be reached' },
    { code: 1, desc: 'The balance is insufficient for the transaction' },
    { code: 2001, desc: 'The initiator information is invalid.' },
  ];
  const checkouts: string[] = [];
  for (const failure of failures) {
    const { checkout } = await ask(policy);
    checkouts.push(checkout);
    t.equal((await callBack(stk(checkout, 100, failure))).statusCode, 200);
  }
  await allocateNow(db);
  for (const [i, checkout] of checkouts.entries()) {
    const [entry] = await inbox(checkout);
    t.equal(entry.status, 'failed');
    t.equal(entry.last_error, failures[i]!.desc);
  }
  t.equal((await policyState(policy)).status, 'idle');
});

t.test('100 concurrent duplicate callbacks: one inbox entry, one premium', async (t) => {
  const policy = await policyToPay(db);
  const { checkout } = await ask(policy);
  const body = stk(checkout);
  const answers = await Promise.all(Array.from({ length: 100 }, () => callBack(body)));
  t.ok(
    answers.every((a) => a.statusCode === 200 && a.json().ResultCode === 0),
    'each is acknowledged',
  );
  t.equal((await inbox(checkout)).length, 1);
  await allocateNow(db);
  await allocateNow(db);
  const premiums = await db.pool.query(`select count(*)::int as n from premium where policy_id = $1`, [
    policy.policyId,
  ]);
  t.equal(premiums.rows[0].n, 1);
  t.equal((await policyState(policy)).status, 'active');
});

t.test('with verification, STK payments are confirmed by stkpushquery; C2B is not verified', async (t) => {
  const verify = verifyUnsigned({ mpesa: mpesaClientFrom(kinga.config) }, db.pool);
  const pay = (resultCode: string | null, amount = 100) =>
    allocatedHere(async () => {
      const policy = await policyToPay(db);
      const { checkout } = await ask(policy);
      if (resultCode !== null) {
        stub.daraja.queries.set(checkout, { ResultCode: resultCode, ResultDesc: 'stub' });
      }
      await callBack(stk(checkout, amount));
      return { policy, checkout, status: await allocateOne(db, 'mpesa', checkout, verify) };
    });

  const confirmed = await pay('0');
  t.equal(confirmed.status, 'allocated');
  t.ok(stub.daraja.queryCalls.includes(confirmed.checkout), 'Daraja was asked');

  const denied = await pay('1032');
  t.equal(denied.status, 'failed', 'Daraja says the push was cancelled: the callback is not believed');
  t.equal((await inbox(denied.checkout))[0].last_error, 'the provider does not confirm this payment');
  t.equal((await policyState(denied.policy)).status, 'idle');

  const inflated = await pay('0', 1000);
  t.equal(inflated.status, 'failed', 'a callback for more than was pushed');
  t.notOk(stub.daraja.queryCalls.includes(inflated.checkout));

  const processing = await pay(null);
  t.equal(processing.status, 'received', 'still processing at Daraja: asked again on the next run');

  t.equal(
    await verify({ provider: 'mpesa', providerTxnId: unique('RK'), status: 'completed', amount: '100' }),
    'confirmed',
    'C2B has no synchronous status API: it relies on the path secret and the IP allow-list',
  );
});

t.test('a wrong path secret is 404, a source not allowed 403, and nothing is stored', async (t) => {
  const policy = await policyToPay(db);
  const { checkout } = await ask(policy);
  const wrong = await callBack(stk(checkout), '/payments/mpesa/not-the-secret-0123456789/stk');
  t.equal(wrong.statusCode, 404);
  const outside = await callBack(stk(checkout), stkUrl, '10.1.2.3');
  t.equal(outside.statusCode, 403);
  t.same(await inbox(checkout), []);
  const safaricom = await callBack(stk(checkout), stkUrl, '196.201.214.200');
  t.equal(safaricom.statusCode, 200, 'an allowed address is accepted');
});

t.test('a callback without a CheckoutRequestID is refused and nothing is stored', async (t) => {
  const body = stk('x');
  delete body.Body.stkCallback.CheckoutRequestID;
  const answer = await callBack(body);
  t.equal(answer.statusCode, 400);
  t.equal(answer.json().title, 'payment.callback-malformed');
});
