import t, { type Test } from 'tap';
import { validateProfile } from '../../src/fhir/validation/profile-validator.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import { allocateNow, mpesaC2b, policyToPay, postMpesaConfirmation, SECRETS } from './payment-scheme.ts';

const kinga = await buildTestApp(t, SECRETS);
const db = kinga.database;
const PROFILE = 'https://kinga.health/fhir/StructureDefinition/kinga-payment-reconciliation';
const LINE_STATUS = 'https://kinga.health/fhir/StructureDefinition/reconciliation-line-status';
const KINGA_AMOUNT = 'https://kinga.health/fhir/StructureDefinition/reconciliation-kinga-amount';
/** A day no other test file pays on: Kinga's payments of the day are only this file's. */
const DAY = '2024-07-23';

/** An M-Pesa C2B confirmation paid on `day`. */
async function confirm(transId: string, billRef: string, amount: string, day = DAY): Promise<void> {
  const res = await postMpesaConfirmation(
    kinga.app,
    mpesaC2b(transId, billRef, amount, `${day.replaceAll('-', '')}101500`),
  );
  if (res.statusCode !== 200) {
    throw new Error(`confirmation ${transId}: ${res.statusCode} ${res.body}`);
  }
}

/** Allocates, waiting for entries another file's allocation run may hold at that moment. */
async function allocated(transIds: string[]): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await allocateNow(db);
    const waiting = await db.pool.query(
      "select 1 from payment_inbox where provider_txn_id = any($1) and status = 'received'",
      [transIds],
    );
    if (waiting.rowCount === 0) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the payments were not allocated');
}

async function importStatement(csv: string, query: string, headers: Record<string, string> = {}) {
  return kinga.app.inject({
    method: 'POST',
    url: `/payments/reconciliations?${query}`,
    headers: {
      authorization: `Bearer ${await kinga.token('system/PaymentNotice.cr')}`,
      'content-type': 'text/csv',
      ...headers,
    },
    payload: csv,
  });
}

async function notice(t: Test, receipt: string): Promise<any> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/PaymentNotice?identifier=${receipt}` });
  const bundle = validFhir(t, res);
  t.equal(bundle.entry?.length, 1, `one PaymentNotice ${receipt}`);
  return bundle.entry[0].resource;
}
const paymentStatus = async (t: Test, receipt: string) =>
  (await notice(t, receipt)).paymentStatus.coding[0].code;

async function reconciliation(t: Test, id: string): Promise<any> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/PaymentReconciliation/${id}` });
  t.equal(res.status, 200);
  const resource = validFhir(t, res, 'PaymentReconciliation');
  t.same(validateProfile(resource, PROFILE), [], 'conforms to kinga-payment-reconciliation');
  return resource;
}
const lineStatus = (detail: any) => detail.extension.find((e: any) => e.url === LINE_STATUS).valueCoding.code;
const detailOf = (resource: any, transaction: string) =>
  resource.detail.find((d: any) => d.identifier.value === transaction);

/** M-Pesa's statement export, as the organisation portal writes it. */
const MPESA_HEADER =
  'Receipt No.,Completion Time,Initiation Time,Details,Transaction Status,Paid In,Withdrawn,Balance,Balance Confirmed,Reason Type,Other Party Info,Linked Transaction ID,A/C No.';
const mpesaLine = (receipt: string, paidIn: string, account: string, status = 'Completed', withdrawn = '') =>
  `${receipt},${DAY} 10:15:00,${DAY} 10:15:00,"Pay Bill Online, from 254708374149",${status},${paidIn},${withdrawn},1000.00,true,Pay Bill Online,254708374149 - JOHN DOE,,${account}`;

t.test('a statement reconciled: matched, amount mismatch, lost callback, exception, left off', async (t) => {
  const [a, b, d] = [await policyToPay(db), await policyToPay(db), await policyToPay(db)];
  const id = unique('R').slice(-8);
  const tx = { a: `TA${id}`, b: `TB${id}`, lost: `TC${id}`, exception: `TE${id}`, d: `TD${id}` };
  await confirm(tx.a, a.reference, '100.00');
  await confirm(tx.b, b.reference, '100.00');
  await confirm(tx.exception, 'not-a-reference', '40.00');
  await confirm(tx.d, d.reference, '100.00');
  await allocated([tx.a, tx.b, tx.exception, tx.d]);
  t.equal(await paymentStatus(t, tx.a), 'paid', 'a mobile-money payment is paid until reconciled');

  const statement = [
    MPESA_HEADER,
    mpesaLine(tx.a, '100.00', a.reference),
    mpesaLine(tx.b, '"1,150.00"', b.reference),
    mpesaLine(tx.lost, '100.00', a.reference),
    mpesaLine(tx.exception, '40.00', 'not-a-reference'),
    mpesaLine(`CH${id}`, '', '', 'Completed', '-5.00'),
    mpesaLine(`TF${id}`, '100.00', a.reference, 'Failed'),
  ].join('\r\n');
  const res = await importStatement(statement, `provider=mpesa&date=${DAY}`);
  t.equal(res.statusCode, 201, res.body);
  const run = res.json();
  t.equal(res.headers['location'], `/payments/reconciliations/${run.id}`);
  t.same(run.counts, {
    statementLines: 4,
    matched: 1,
    amountMismatch: 1,
    unallocated: 1,
    missingInKinga: 1,
    missingInStatement: 1,
  });
  t.equal(run.statementTotal, '1390.00', 'Paid In summed; the withdrawal and the failed line left out');
  t.equal(run.outcome, 'partial');
  t.equal(run.status, 'current');
  const line = (transaction: string) => run.lines.find((l: any) => l.transaction === transaction);
  t.match(line(tx.a), { line: 2, status: 'matched', statementAmount: '100.00', kingaAmount: '100.00' });
  t.equal(line(tx.a).policy, a.policyId);
  t.match(line(tx.b), { status: 'amount-mismatch', statementAmount: '1150.00', kingaAmount: '100.00' });
  t.match(line(tx.lost), { line: 4, status: 'missing-in-kinga', kingaAmount: null, paymentNotice: null });
  t.match(line(tx.exception), { status: 'unallocated', kingaAmount: '40.00' });
  t.match(line(tx.exception).note, /unmatched/);
  t.match(line(tx.d), {
    line: null,
    status: 'missing-in-statement',
    kingaAmount: '100.00',
    statementAmount: null,
  });
  t.equal(line(tx.d).policy, d.policyId);
  const lost = await db.pool.query('select 1 from payment_inbox where provider_txn_id = $1', [tx.lost]);
  t.equal(lost.rowCount, 0, 'nothing is created for a lost callback');

  const resource = await reconciliation(t, run.id);
  t.equal(resource.status, 'active');
  t.equal(resource.outcome, 'partial');
  t.equal(resource.paymentDate, DAY);
  t.same(resource.paymentAmount, { value: 1390, currency: kinga.config.CURRENCY });
  t.equal(resource.paymentIssuer.display, 'Safaricom M-Pesa');
  t.match(resource.disposition, /^4 lines on the statement: 1 matched/);
  t.equal(resource.detail.length, 5);
  const matched = detailOf(resource, tx.a);
  t.equal(lineStatus(matched), 'matched');
  t.same(matched.type.coding[0], {
    system: 'http://terminology.hl7.org/CodeSystem/payment-type',
    code: 'payment',
    display: 'Payment',
  });
  t.equal(matched.request.reference, `Contract/${a.policyId}`);
  t.equal(matched.response.reference, `PaymentNotice/${(await notice(t, tx.a)).id}`);
  t.equal(matched.date, DAY);
  t.equal(matched.amount.value, 100);
  const mismatch = detailOf(resource, tx.b);
  t.equal(lineStatus(mismatch), 'amount-mismatch');
  t.equal(mismatch.amount.value, 1150, "the statement's amount");
  t.equal(mismatch.extension.find((e: any) => e.url === KINGA_AMOUNT).valueMoney.value, 100);
  t.equal(lineStatus(detailOf(resource, tx.lost)), 'missing-in-kinga');
  t.notOk(detailOf(resource, tx.lost).request, 'no policy known');
  t.equal(lineStatus(detailOf(resource, tx.d)), 'missing-in-statement');

  t.equal(await paymentStatus(t, tx.a), 'cleared', 'the matched payment is cleared');
  t.equal(await paymentStatus(t, tx.b), 'paid', 'an amount mismatch is not');
  t.equal(await paymentStatus(t, tx.d), 'paid', 'nor a payment left off the statement');
  const search = async (query: string) =>
    (validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/PaymentNotice?${query}` })).entry ?? [])
      .length;
  t.equal(await search(`request=Contract/${a.policyId}&payment-status=cleared`), 1);
  t.equal(await search(`request=Contract/${b.policyId}&payment-status=paid`), 1);

  t.test('importing the day again supersedes the run and moves what is cleared', async (t) => {
    // The corrected statement: B's true amount, D's payment, A's line dropped.
    const corrected = [
      MPESA_HEADER,
      mpesaLine(tx.b, '100.00', b.reference),
      mpesaLine(tx.lost, '100.00', a.reference),
      mpesaLine(tx.d, '100.00', d.reference),
    ].join('\n');
    const again = await importStatement(corrected, `provider=mpesa&date=${DAY}`);
    t.equal(again.statusCode, 201, again.body);
    const second = again.json();
    t.same(second.counts, {
      statementLines: 3,
      matched: 2,
      amountMismatch: 0,
      unallocated: 0,
      missingInKinga: 1,
      missingInStatement: 1,
    });
    t.match(
      second.lines.find((l: any) => l.transaction === tx.a),
      { status: 'missing-in-statement' },
    );

    const earlier = await kinga.app.inject({
      method: 'GET',
      url: `/payments/reconciliations/${run.id}`,
      headers: { authorization: `Bearer ${await kinga.token('system/PaymentNotice.r')}` },
    });
    t.equal(earlier.statusCode, 200);
    t.match(earlier.json(), { status: 'superseded', supersededBy: second.id });
    t.equal(earlier.json().lines.length, 5, 'the earlier run is kept whole');
    const superseded = await reconciliation(t, run.id);
    t.equal(superseded.status, 'cancelled');
    t.match(superseded.processNote[0].text, new RegExp(`PaymentReconciliation/${second.id}`));
    t.equal((await reconciliation(t, second.id)).status, 'active');

    const runs = async (status: string) =>
      (
        validFhir(
          t,
          await kinga.fhir({
            method: 'GET',
            url: `/fhir/R4/PaymentReconciliation?payment-date=${DAY}&status=${status}`,
          }),
        ).entry ?? []
      ).map((e: any) => e.resource.id);
    t.same(await runs('active'), [second.id], 'one current run for the day');
    t.same(await runs('cancelled'), [run.id]);

    t.equal(await paymentStatus(t, tx.a), 'paid', 'only the current run clears: A is paid again');
    t.equal(await paymentStatus(t, tx.b), 'cleared');
    t.equal(await paymentStatus(t, tx.d), 'cleared');
  });
});

t.test('a line that cannot be read refuses the file, naming its line and column', async (t) => {
  const day = '2030-02-14';
  const stored = async () =>
    (
      await db.pool.query(
        "select 1 from payment_reconciliation_run where provider = 'generic' and statement_date = $1",
        [day],
      )
    ).rowCount;
  const cases: [string, RegExp][] = [
    [
      `transaction_id,amount,date,reference\nG1,100.00,${day},R1\nG2,abc,${day},R2\n`,
      /^Statement line 3, column 2 \(amount\): "abc" is not an amount/,
    ],
    [
      `transaction_id,amount,date\nG1,100.00,${day}\nG2,5.00,14/13/2030\n`,
      /^Statement line 3, column 3 \(date\): "14\/13\/2030" is not a date/,
    ],
    [`transaction_id,amount,date\nG1,100.00,${day}\nG1,5.00,${day}\n`, /line 3.*already on line 2/],
    [`transaction_id,date,reference\nG1,${day},R1\n`, /^Statement line 1, column \(header\): .*an amount/],
    [`transaction_id,amount,date\n"G1,100.00,${day}\n`, /^Statement line 2, column 1: a quoted field/],
    ['', /the statement is empty/],
  ];
  for (const [csv, detail] of cases) {
    const res = await importStatement(csv, `provider=generic&date=${day}`);
    t.equal(res.statusCode, 400, res.body);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.equal(res.json().title, 'payment.statement-malformed');
    t.match(res.json().detail, detail);
  }
  t.equal(await stored(), 0, 'nothing stored');

  const json = await importStatement('{}', `provider=generic&date=${day}`, {
    'content-type': 'application/json',
  });
  t.equal(json.statusCode, 415);
  const bad = await importStatement('transaction_id,amount,date\n', 'provider=paypal&date=2030-02-14');
  t.equal(bad.statusCode, 400, 'an unknown provider');
  const noDay = await importStatement('transaction_id,amount,date\n', 'provider=generic&date=2030-02-30');
  t.equal(noDay.statusCode, 400, 'not a calendar date');
  const unscoped = await kinga.app.inject({
    method: 'POST',
    url: `/payments/reconciliations?provider=generic&date=${day}`,
    headers: {
      authorization: `Bearer ${await kinga.token('system/PaymentNotice.r')}`,
      'content-type': 'text/csv',
    },
    payload: `transaction_id,amount,date\nG1,1.00,${day}\n`,
  });
  t.equal(unscoped.statusCode, 403);
  t.equal(await stored(), 0);

  const plain = await importStatement(
    `transaction_id,amount,date,reference\nG1,"1,000.50",${day}T09:00:00Z,R1\n`,
    `provider=generic&date=${day}`,
  );
  t.equal(plain.statusCode, 201, 'the plain form is read');
  t.match(plain.json().lines[0], {
    status: 'missing-in-kinga',
    statementAmount: '1000.50',
    statementDate: day,
    reference: 'R1',
  });
  t.equal((await reconciliation(t, plain.json().id)).outcome, 'partial');

  const together = await Promise.all(
    ['G2', 'G3', 'G4'].map((id) =>
      importStatement(`transaction_id,amount,date\n${id},5.00,${day}\n`, `provider=generic&date=${day}`),
    ),
  );
  t.same(
    together.map((r) => r.statusCode),
    [201, 201, 201],
    'imports of one day at once queue, none fails',
  );
  const current = await db.pool.query(
    "select id from payment_reconciliation_run where provider = 'generic' and statement_date = $1 and status = 'current'",
    [day],
  );
  t.equal(current.rowCount, 1, 'one current run for the day');
});

t.test('a mobile-money premium read as paid can be sent back to reverse it', async (t) => {
  const policy = await policyToPay(db);
  const transId = `TR${unique().slice(-10)}`;
  await confirm(transId, policy.reference, '100.00', '2024-07-25');
  await allocated([transId]);
  const read = await notice(t, transId);
  t.equal(read.paymentStatus.coding[0].code, 'paid');
  const reversed = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PaymentNotice/${read.id}`,
    body: { ...read, status: 'cancelled' },
  });
  t.equal(reversed.status, 200, JSON.stringify(reversed.body));
  t.equal(validFhir(t, reversed).status, 'cancelled');
});
