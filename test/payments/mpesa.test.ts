import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import { allocateNow, mpesaC2b, policyToPay, SECRETS } from './payment-scheme.ts';

const kinga = await buildTestApp(t, SECRETS);
const db = kinga.database;
const base = `/payments/mpesa/${SECRETS.MPESA_CALLBACK_SECRET}/c2b`;

const post = (url: string, body: unknown) =>
  kinga.app.inject({
    method: 'POST',
    url,
    payload: body as object,
    headers: { 'content-type': 'application/json' },
  });

t.test('validation accepts a known reference and rejects an unknown one in Daraja shape', async (t) => {
  const policy = await policyToPay(db);
  const ok = await post(`${base}/validation`, mpesaC2b('V1', policy.reference, '100'));
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { ResultCode: '0', ResultDesc: 'Accepted' });
  const wrong = `${policy.reference.slice(0, 11)}${(Number(policy.reference.at(-1)) + 1) % 10}`;
  const refused = await post(`${base}/validation`, mpesaC2b('V2', wrong, '100'));
  t.same(
    refused.json(),
    { ResultCode: 'C2B00012', ResultDesc: 'Rejected' },
    'a mistyped reference fails its check digits',
  );
});

/** The scheme's insurer (the first registered), registered through the API when there is none yet. */
async function schemeInsurer(): Promise<{ id: string; name: string }> {
  const first = () =>
    db.pool.query<{ id: string; name: string }>(
      "select id, name from organisation where kind = 'insurer' and deleted_at is null order by created_at limit 1",
    );
  if ((await first()).rowCount === 0) {
    await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/Organization',
      body: {
        resourceType: 'Organization',
        identifier: [{ system: 'https://kinga.health/fhir/NamingSystem/insurer-code', value: unique('INS') }],
        type: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'ins' }] },
        ],
        name: `Mfuko wa Afya ${unique()}`,
      },
    });
  }
  return (await first()).rows[0]!;
}

t.test('a confirmation is stored once, acknowledged, and allocated: the policy becomes active', async (t) => {
  const policy = await policyToPay(db);
  const insurer = await schemeInsurer();
  const transId = `RK${Date.now()}`;
  const answers = await Promise.all(
    Array.from({ length: 20 }, () =>
      post(`${base}/confirmation`, mpesaC2b(transId, policy.reference, '100.00')),
    ),
  );
  for (const answer of answers) {
    t.equal(answer.statusCode, 200);
    t.same(answer.json(), { ResultCode: 0, ResultDesc: 'Success' });
  }
  const rows = await db.pool.query('select status from payment_inbox where provider_txn_id = $1', [transId]);
  t.equal(rows.rowCount, 1, '20 deliveries, one inbox entry');
  const summary = await allocateNow(db);
  t.ok(summary.allocated >= 1);
  const notice = await kinga.fhir({ method: 'GET', url: `/fhir/R4/PaymentNotice?identifier=${transId}` });
  const bundle = validFhir(t, notice);
  t.equal(bundle.entry?.length, 1, 'one PaymentNotice, identified by the M-Pesa receipt');
  t.equal(bundle.entry[0].resource.amount.value, 100);
  t.same(
    bundle.entry[0].resource.payee,
    { reference: `Organization/${insurer.id}`, display: insurer.name },
    'paid to the scheme insurer, read with the inbox entry',
  );
  const status = await db.pool.query('select status, effective_date::text from policy where id = $1', [
    policy.policyId,
  ]);
  t.equal(status.rows[0].status, 'active');
  t.equal(status.rows[0].effective_date, '2024-06-05', 'effective from the payment date (after the start)');
  const again = await allocateNow(db);
  t.equal(again.allocated, 0, 'nothing left to allocate');
});

t.test('a wrong path secret is 404 and nothing is stored', async (t) => {
  const res = await post(
    '/payments/mpesa/not-the-secret-0123456789/c2b/confirmation',
    mpesaC2b('X1', '1', '1'),
  );
  t.equal(res.statusCode, 404);
  const rows = await db.pool.query("select 1 from payment_inbox where provider_txn_id = 'X1'");
  t.equal(rows.rowCount, 0);
});

t.test('an unmatched payment waits as an exception until staff assign it to a reference', async (t) => {
  const policy = await policyToPay(db);
  const transId = `UN${Date.now()}`;
  await post(`${base}/confirmation`, mpesaC2b(transId, 'not-a-reference', '100'));
  await allocateNow(db);
  const token = await kinga.token('system/PaymentNotice.crus');
  const auth = { authorization: `Bearer ${token}` };
  const list = await kinga.app.inject({ method: 'GET', url: '/payments/exceptions', headers: auth });
  t.equal(list.statusCode, 200);
  const exception = list.json().exceptions.find((e: any) => e.transaction === transId);
  t.ok(exception, 'listed');
  t.equal(exception.reason, 'no payment reference or policy matches');
  const assigned = await kinga.app.inject({
    method: 'POST',
    url: `/payments/exceptions/${exception.id}/assign`,
    headers: auth,
    payload: { reference: policy.reference },
  });
  t.equal(assigned.statusCode, 200, assigned.body);
  t.equal(assigned.json().status, 'assigned');
  t.equal(assigned.json().policy, policy.policyId);
  const status = await db.pool.query('select status from policy where id = $1', [policy.policyId]);
  t.equal(status.rows[0].status, 'active');
  const again = await kinga.app.inject({
    method: 'POST',
    url: `/payments/exceptions/${exception.id}/refund`,
    headers: auth,
    payload: { note: 'sent back' },
  });
  t.equal(again.statusCode, 409, 'resolved once');
  t.match(again.headers['content-type'], /^application\/problem\+json/);
  const reference = await kinga.app.inject({
    method: 'GET',
    url: `/payments/references/${policy.reference}`,
    headers: auth,
  });
  t.equal(reference.json().status, 'paid');
  t.equal(reference.json().paidAmount, '100.00');
});

t.test('references are issued for what is owed, once per amount, and need the scope', async (t) => {
  const policy = await policyToPay(db);
  const token = await kinga.token('system/PaymentNotice.crus');
  const issued = await kinga.app.inject({
    method: 'POST',
    url: '/payments/references',
    headers: { authorization: `Bearer ${token}` },
    payload: { policy: policy.policyId },
  });
  t.equal(issued.statusCode, 201, issued.body);
  t.equal(issued.json().reference, policy.reference, 'the open reference for the same balance');
  t.equal(issued.json().expectedAmount, '100.00');
  const readOnly = await kinga.token('system/PaymentNotice.rs');
  const refused = await kinga.app.inject({
    method: 'POST',
    url: '/payments/references',
    headers: { authorization: `Bearer ${readOnly}` },
    payload: { policy: policy.policyId },
  });
  t.equal(refused.statusCode, 403);
  const anonymous = await kinga.app.inject({ method: 'GET', url: '/payments/exceptions' });
  t.equal(anonymous.statusCode, 401);
});

t.test('a reference sent as a number is read as the digits typed, never a 500', async (t) => {
  const policy = await policyToPay(db);
  const body = {
    ...mpesaC2b(`NUM${Date.now()}`, policy.reference, '100.00'),
    BillRefNumber: Number(policy.reference),
  };
  const validation = await post(`${base}/validation`, body);
  t.equal(validation.statusCode, 200);
  t.same(validation.json(), { ResultCode: '0', ResultDesc: 'Accepted' });
  const confirmation = await post(`${base}/confirmation`, body);
  t.equal(confirmation.statusCode, 200);
  await allocateNow(db);
  const status = await db.pool.query('select status from policy where id = $1', [policy.policyId]);
  t.equal(status.rows[0].status, 'active', 'allocated to the policy of that reference');
});

t.test('an id or reference holding a control character is refused and nothing is stored', async (t) => {
  const policy = await policyToPay(db);
  // Published, the receipt would be a PaymentNotice.identifier no FHIR validator accepts.
  const transId = `RK${Date.now()}\u0007`;
  const badId = await post(`${base}/confirmation`, mpesaC2b(transId, policy.reference, '100.00'));
  t.equal(badId.statusCode, 400);
  t.match(badId.json().detail, /providerTxnId holds a control character/);
  const otherId = `RK${Date.now()}B`;
  const badReference = await post(
    `${base}/confirmation`,
    mpesaC2b(otherId, `${policy.reference}\u001f`, '100.00'),
  );
  t.equal(badReference.statusCode, 400);
  t.match(badReference.json().detail, /reference holds a control character/);
  const stored = await db.pool.query(`select 1 from payment_inbox where provider_txn_id in ($1, $2)`, [
    transId,
    otherId,
  ]);
  t.equal(stored.rowCount, 0, 'neither callback reached the inbox');
  const clean = await post(`${base}/confirmation`, mpesaC2b(`RK${Date.now()}C`, policy.reference, '1.00'));
  t.equal(clean.statusCode, 200, 'a clean callback after them is still taken');
});

t.test('payments on one reference allocated at once are each credited once, none failing', async (t) => {
  const policy = await policyToPay(db);
  const ids = [1, 2, 3, 4].map((n) => `RQ${Date.now()}${n}`);
  for (const id of ids) {
    t.equal((await post(`${base}/confirmation`, mpesaC2b(id, policy.reference, '25.00'))).statusCode, 200);
  }
  // The run's workers take the four together; each waits for the one before it on the reference.
  await allocateNow(db);
  const entries = await db.pool.query<{ status: string; attempts: number; last_error: string | null }>(
    'select status, attempts, last_error from payment_inbox where provider_txn_id = any($1)',
    [ids],
  );
  t.same(
    entries.rows,
    ids.map(() => ({ status: 'allocated', attempts: 1, last_error: null })),
    'each allocated at its first attempt',
  );
  const reference = await db.pool.query<{ paid_amount: string; status: string }>(
    'select paid_amount::text, status from payment_reference where reference = $1',
    [policy.reference],
  );
  t.same(reference.rows[0], { paid_amount: '100.00', status: 'paid' }, 'the reference holds all four');
  const status = await db.pool.query<{ status: string }>('select status from policy where id = $1', [
    policy.policyId,
  ]);
  t.equal(status.rows[0]!.status, 'active');
});
