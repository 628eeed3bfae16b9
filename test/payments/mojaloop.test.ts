import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exportSPKI, FlattenedSign, generateKeyPair, type CryptoKey } from 'jose';
import t from 'tap';
import { buildTestApp } from '../helpers/test-app.ts';
import { allocateNow, policyToPay, SECRETS } from './payment-scheme.ts';
import { inboxRows, ledger, published } from './policy-state.ts';

/** The payer FSP's key pair: Kinga is configured with its public half, the test signs as the FSP. */
const fsp = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
const stranger = await generateKeyPair('RS256', { modulusLength: 2048 });
const kinga = await buildTestApp(t, {
  ...SECRETS,
  MOJALOOP_FSP_PUBLIC_KEY: await exportSPKI(fsp.publicKey),
  MOJALOOP_FSP_ID: 'kinga',
});
const db = kinga.database;
const CONTENT_TYPE = 'application/vnd.interoperability.transfers+json;version=1.1';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/payments/${name}`, import.meta.url), 'utf8');
/** Listing 47's body: its ilpPacket is line-wrapped for display, so it is taken out to parse the rest. */
const listing47 = fixture('mojaloop-fspiop-post-transfers.listing47.http');
const listing47Body = listing47.slice(listing47.indexOf('{'));
const listing47Packet = /"ilpPacket":\s*"([^"]*)"/.exec(listing47Body)![1]!.replace(/\s+/g, '');
const prepareFixture = JSON.parse(
  listing47Body.replace(/"ilpPacket":\s*"[^"]*"/, '"ilpPacket": ""'),
) as Record<string, any>;
const committedFixture = JSON.parse(fixture('mojaloop-fspiop-put-transfers-callback.body.json')) as Record<
  string,
  any
>;

function oerLength(length: number): Buffer {
  if (length < 128) {
    return Buffer.from([length]);
  }
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) {
    bytes.unshift(n & 0xff);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const octets = (bytes: Buffer) => Buffer.concat([oerLength(bytes.length), bytes]);

/** An ILPv4 Prepare whose data is the FSPIOP Transaction (base64url JSON), as Mojaloop's SDKs build it. */
function ilpPacket(transaction: object, amountMinor: bigint): string {
  const amount = Buffer.alloc(8);
  amount.writeBigUInt64BE(amountMinor);
  const content = Buffer.concat([
    amount,
    Buffer.from('20240605111701663'),
    Buffer.alloc(32, 7),
    octets(Buffer.from('g.tz.kinga.account.premiums')),
    octets(Buffer.from(Buffer.from(JSON.stringify(transaction)).toString('base64url'))),
  ]);
  return Buffer.concat([Buffer.from([12]), octets(content)]).toString('base64url');
}

/** The Transaction of Listing 47's packet, paying Kinga; the payer names our reference where told. */
function transaction(amount: string, payee: Record<string, string> = {}, note = 'From Mats') {
  return {
    transactionId: randomUUID(),
    quoteId: randomUUID(),
    payee: {
      partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: 'kinga', ...payee },
    },
    payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255711000002', fspId: 'BankNrOne' } },
    amount: { amount, currency: kinga.config.CURRENCY },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    note,
  };
}

/** Listing 47 adapted: our transfer id, the scheme's currency, the amount, a packet carrying `tx`. */
function prepareBody(transferId: string, amount: string, tx: object | string) {
  return JSON.stringify({
    ...prepareFixture,
    transferId,
    payeeFsp: 'kinga',
    amount: { amount, currency: kinga.config.CURRENCY },
    ilpPacket: typeof tx === 'string' ? tx : ilpPacket(tx, BigInt(Math.round(Number(amount) * 100))),
  });
}

/** Listing 50 adapted: the transfer completed on 2024-06-05 (a date the seeded policy can take). */
function committedBody(state = 'COMMITTED') {
  return JSON.stringify({
    ...committedFixture,
    completedTimestamp: '2024-06-05T04:15:35.513+03:00',
    transferState: state,
  });
}

interface Signing {
  key?: CryptoKey;
  /** What the signature says, where it differs from the request. */
  uri?: string;
  method?: string;
  /** The FSPIOP-Source header sent, where it differs from the signed one. */
  source?: string;
  destination?: string;
  /** Body sent instead of the one signed. */
  tampered?: string;
  unsigned?: boolean;
}

/** Sends `body` as the payer FSP would: FSPIOP headers and a JWS over the body (Signature v1.1). */
async function send(method: 'POST' | 'PUT', uri: string, body: string, signing: Signing = {}) {
  const date = new Date().toUTCString();
  const jws = await new FlattenedSign(new TextEncoder().encode(body))
    .setProtectedHeader({
      alg: 'RS256',
      'FSPIOP-URI': signing.uri ?? uri,
      'FSPIOP-HTTP-Method': signing.method ?? method,
      'FSPIOP-Source': 'BankNrOne',
      'FSPIOP-Destination': 'kinga',
      Date: date,
    })
    .sign(signing.key ?? fsp.privateKey);
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPE,
    date,
    'fspiop-source': signing.source ?? 'BankNrOne',
    'fspiop-destination': signing.destination ?? 'kinga',
  };
  if (!signing.unsigned) {
    headers['fspiop-signature'] = JSON.stringify({
      signature: jws.signature,
      protectedHeader: jws.protected,
    });
  }
  return kinga.app.inject({
    method,
    url: `/payments/mojaloop${uri}`,
    headers,
    payload: signing.tampered ?? body,
  });
}

const requests = async (transferId?: string) =>
  Number(
    (
      await db.pool.query<{ n: string }>(
        `select count(*) as n from payment_request where provider = 'mojaloop' and ($1::text is null or provider_request_id = $1)`,
        [transferId ?? null],
      )
    ).rows[0]!.n,
  );

t.test(
  'Listing 47 then Listing 50: the prepare is kept, the commit allocated; the policy is active',
  async (t) => {
    const policy = await policyToPay(db);
    const transferId = randomUUID();
    const prepare = await send(
      'POST',
      '/transfers',
      prepareBody(transferId, '100', transaction('100', {}, `Premium ${policy.reference}`)),
    );
    t.equal(prepare.statusCode, 202);
    const kept = await db.pool.query(
      'select reference, amount::text, status from payment_request where provider_request_id = $1',
      [transferId],
    );
    t.same(
      kept.rows[0],
      { reference: policy.reference, amount: '100.00', status: 'pending' },
      'the reference from the note',
    );
    t.equal(await inboxRows(db, 'mojaloop', transferId), 0, 'no money has moved yet');

    const commit = await send('PUT', `/transfers/${transferId}`, committedBody());
    t.equal(commit.statusCode, 200);
    t.equal(await inboxRows(db, 'mojaloop', transferId), 1);
    await allocateNow(db);
    t.same(await ledger(db, policy.policyId), ['payment 100.00']);
    const state = await published(t, kinga, policy.policyId);
    t.equal(state.status, 'active');
    t.same(state.account, { value: 100, paid: 100, balance: 0, credit: 0 });
    const effective = await db.pool.query('select effective_date::text from policy where id = $1', [
      policy.policyId,
    ]);
    t.equal(effective.rows[0].effective_date, '2024-06-05', 'from the completion date');
  },
);

t.test('the reference as the payee sub-id; a partial transfer (40.00) leaves 60.00 due', async (t) => {
  const policy = await policyToPay(db);
  const transferId = randomUUID();
  const tx = transaction('40', { partySubIdOrType: policy.reference });
  t.equal((await send('POST', '/transfers', prepareBody(transferId, '40', tx))).statusCode, 202);
  t.equal((await send('PUT', `/transfers/${transferId}`, committedBody())).statusCode, 200);
  await allocateNow(db);
  const state = await published(t, kinga, policy.policyId);
  t.equal(state.status, 'idle');
  t.same(state.account, { value: 100, paid: 40, balance: 60, credit: 0 });
});

t.test('an over-payment (130.00) activates the policy and keeps 30.00 as credit', async (t) => {
  const policy = await policyToPay(db);
  const transferId = randomUUID();
  const tx = transaction('130', {}, policy.reference);
  t.equal((await send('POST', '/transfers', prepareBody(transferId, '130', tx))).statusCode, 202);
  t.equal((await send('PUT', `/transfers/${transferId}`, committedBody())).statusCode, 200);
  await allocateNow(db);
  const state = await published(t, kinga, policy.policyId);
  t.equal(state.status, 'active');
  t.same(state.account, { value: 100, paid: 130, balance: 0, credit: 30 }, 'the excess is credit, not lost');
});

t.test(
  'ABORTED and the error callback are failures: nothing credited; RESERVED stores nothing',
  async (t) => {
    const policy = await policyToPay(db);
    const aborted = randomUUID();
    const errored = randomUUID();
    const reserved = randomUUID();
    for (const id of [aborted, errored, reserved]) {
      t.equal(
        (await send('POST', '/transfers', prepareBody(id, '100', transaction('100', {}, policy.reference))))
          .statusCode,
        202,
      );
    }
    t.equal((await send('PUT', `/transfers/${aborted}`, committedBody('ABORTED'))).statusCode, 200);
    const error = JSON.stringify({
      errorInformation: { errorCode: '5105', errorDescription: 'Payee transaction limit reached' },
    });
    t.equal((await send('PUT', `/transfers/${errored}/error`, error)).statusCode, 200);
    t.equal((await send('PUT', `/transfers/${reserved}`, committedBody('RESERVED'))).statusCode, 200);
    t.equal(await inboxRows(db, 'mojaloop', reserved), 0);
    await allocateNow(db);
    const rows = await db.pool.query(
      `select provider_txn_id, status, last_error from payment_inbox where provider_txn_id = any($1) order by status`,
      [[aborted, errored]],
    );
    t.same(
      rows.rows.map((r) => r.status),
      ['failed', 'failed'],
    );
    t.ok(rows.rows.some((r) => r.last_error === '5105 Payee transaction limit reached'));
    t.same(await ledger(db, policy.policyId), []);
    t.equal((await published(t, kinga, policy.policyId)).status, 'idle');
  },
);

t.test(
  "Listing 47's packet as printed (display-wrapped; its note names no reference): the commit waits for staff",
  async (t) => {
    const transferId = randomUUID();
    t.equal(
      (await send('POST', '/transfers', prepareBody(transferId, '99', listing47Packet))).statusCode,
      202,
    );
    const kept = await db.pool.query('select reference from payment_request where provider_request_id = $1', [
      transferId,
    ]);
    t.equal(kept.rows[0].reference, '');
    t.equal((await send('PUT', `/transfers/${transferId}`, committedBody())).statusCode, 200);
    await allocateNow(db);
    const row = await db.pool.query('select status from payment_inbox where provider_txn_id = $1', [
      transferId,
    ]);
    t.equal(row.rows[0].status, 'unmatched');
  },
);

t.test('a resent prepare is answered again; one with other terms is refused (3106)', async (t) => {
  const policy = await policyToPay(db);
  const transferId = randomUUID();
  const tx = transaction('100', {}, policy.reference);
  const body = prepareBody(transferId, '100', tx);
  t.equal((await send('POST', '/transfers', body)).statusCode, 202);
  t.equal((await send('POST', '/transfers', body)).statusCode, 202);
  t.equal((await send('POST', '/transfers', prepareBody(transferId, '10', tx))).statusCode, 400);
  t.equal(await requests(transferId), 1);
  const foreign = JSON.parse(body) as Record<string, any>;
  foreign['transferId'] = randomUUID();
  foreign['amount'] = { amount: '100', currency: 'USD' };
  t.equal(
    (await send('POST', '/transfers', JSON.stringify(foreign))).statusCode,
    400,
    "not the scheme's currency",
  );
});

t.test('forged, altered or misdirected requests are 401 and store nothing', async (t) => {
  const policy = await policyToPay(db);
  const transferId = randomUUID();
  const body = prepareBody(transferId, '100', transaction('100', {}, policy.reference));
  const inboxBefore = await inboxRows(db, 'mojaloop');
  const requestsBefore = await requests();
  const put = `/transfers/${transferId}`;
  const cases: [string, 'POST' | 'PUT', string, string, Signing][] = [
    ['no signature', 'POST', '/transfers', body, { unsigned: true }],
    ['signed by another key', 'POST', '/transfers', body, { key: stranger.privateKey }],
    ['body altered after signing', 'POST', '/transfers', body, { tampered: body.replace('"100"', '"1000"') }],
    ['the FSPIOP-Source header is not the signed one', 'POST', '/transfers', body, { source: 'Mallory' }],
    ['signed as a PUT', 'POST', '/transfers', body, { method: 'PUT' }],
    ['no signature on the callback', 'PUT', put, committedBody(), { unsigned: true }],
    ['signed for another transfer', 'PUT', put, committedBody(), { uri: `/transfers/${randomUUID()}` }],
    ['signed by another key', 'PUT', put, committedBody(), { key: stranger.privateKey }],
    ['ABORTED signed, COMMITTED sent', 'PUT', put, committedBody('ABORTED'), { tampered: committedBody() }],
    ['addressed to another FSP', 'PUT', put, committedBody(), { destination: 'other-fsp' }],
  ];
  for (const [label, method, uri, sent, signing] of cases) {
    t.equal((await send(method, uri, sent, signing)).statusCode, 401, label);
  }
  const garbled = await kinga.app.inject({
    method: 'PUT',
    url: `/payments/mojaloop${put}`,
    headers: { 'content-type': CONTENT_TYPE, 'fspiop-source': 'BankNrOne', 'fspiop-signature': 'not json' },
    payload: committedBody(),
  });
  t.equal(garbled.statusCode, 401, 'a signature header that is not JSON');
  t.equal(await inboxRows(db, 'mojaloop'), inboxBefore, 'the inbox is unchanged');
  t.equal(await requests(), requestsBefore, 'no prepare was kept');
});

t.test('100 concurrent commits: one inbox row, one premium', async (t) => {
  const policy = await policyToPay(db);
  const transferId = randomUUID();
  t.equal(
    (
      await send(
        'POST',
        '/transfers',
        prepareBody(transferId, '100', transaction('100', {}, policy.reference)),
      )
    ).statusCode,
    202,
  );
  const answers = await Promise.all(
    Array.from({ length: 100 }, () => send('PUT', `/transfers/${transferId}`, committedBody())),
  );
  t.ok(answers.every((a) => a.statusCode === 200));
  t.equal(await inboxRows(db, 'mojaloop', transferId), 1);
  await allocateNow(db);
  await allocateNow(db);
  t.same(await ledger(db, policy.policyId), ['payment 100.00']);
});
