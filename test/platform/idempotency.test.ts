import t from 'tap';
import type { Test } from 'tap';
import { buildTestApp, unique, validFhir, type FhirResponse } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const patient = (number: string, family = 'Mwakilema') => ({
  resourceType: 'Patient',
  identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
  name: [{ family, given: ['Neema'] }],
});

const create = (body: unknown, key?: string, headers: Record<string, string> = {}) =>
  kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body,
    headers: key === undefined ? headers : { ...headers, 'idempotency-key': key },
  });

const countOf = async (t: Test, number: string): Promise<number> => {
  const res = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient?identifier=${number}&_summary=count`,
  });
  return validFhir(t, res).total as number;
};

const errorCode = (t: Test, res: FhirResponse): string =>
  validFhir(t, res).issue[0].details.coding[0].code as string;

t.test('a retry with the same key and body replays the first response and creates nothing', async (t) => {
  const number = unique('I');
  const key = `key-${unique()}`;
  const first = await create(patient(number), key);
  t.equal(first.status, 201);
  validFhir(t, first);
  t.notOk(first.headers['idempotent-replayed'], 'the first response is not a replay');

  const again = await create(patient(number), key);
  t.equal(again.status, 201, 'same status');
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.headers['location'], first.headers['location'], 'same Location');
  t.equal(again.headers['etag'], first.headers['etag'], 'same ETag');
  t.equal(again.headers['last-modified'], first.headers['last-modified'], 'same Last-Modified');
  t.equal(again.headers['content-type'], first.headers['content-type'], 'same Content-Type');
  t.equal(again.raw.body, first.raw.body, 'byte-identical body');
  t.not(again.headers['x-request-id'], first.headers['x-request-id'], 'the replay has its own request id');
  validFhir(t, again);
  t.equal(await countOf(t, number), 1, 'one Patient stored');
});

t.test('a transaction Bundle retried with its key is answered again, not processed again', async (t) => {
  const [a, b] = [unique('T'), unique('T')];
  const body = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [a, b].map((number) => ({
      resource: patient(number),
      request: { method: 'POST', url: 'Patient' },
    })),
  };
  const key = `bundle-${unique()}`;
  const send = () =>
    kinga.fhir({ method: 'POST', url: '/fhir/R4', body, headers: { 'idempotency-key': key } });
  const first = await send();
  t.equal(first.status, 200);
  validFhir(t, first);
  const again = await send();
  t.equal(again.status, 200);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.raw.body, first.raw.body);
  t.equal(await countOf(t, a), 1);
  t.equal(await countOf(t, b), 1);
});

t.test('the same key with a different body is a 422 naming the header', async (t) => {
  const key = `key-${unique()}`;
  const number = unique('I');
  t.equal((await create(patient(number), key)).status, 201);
  const other = await create(patient(number, 'Otherwise'), key);
  t.equal(other.status, 422);
  t.equal(errorCode(t, other), 'idempotency.key-reused');
  t.match(validFhir(t, other).issue[0].diagnostics, /Idempotency-Key/);
  t.notOk(other.headers['idempotent-replayed']);
  t.equal(await countOf(t, number), 1);
});

t.test('the same key on another URL (a different query) is a different request: 422', async (t) => {
  const key = `key-${unique()}`;
  t.equal((await create(patient(unique('I')), key)).status, 201);
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient?_pretty=true',
    body: patient(unique('I')),
    headers: { 'idempotency-key': key },
  });
  t.equal(res.status, 422);
  t.equal(errorCode(t, res), 'idempotency.key-reused');
});

t.test('two clients may use the same key independently', async (t) => {
  const key = `shared-${unique()}`;
  const [a, b] = [unique('A'), unique('B')];
  const fromA = await create(patient(a), key);
  const fromB = await create(patient(b), key, {
    authorization: `Bearer ${await kinga.token('system/*.cruds', `other-client-${unique()}`)}`,
  });
  t.equal(fromA.status, 201);
  t.equal(fromB.status, 201);
  t.notOk(fromB.headers['idempotent-replayed'], "client B does not see client A's response");
  t.not(fromB.headers['location'], fromA.headers['location']);
  t.equal(await countOf(t, a), 1);
  t.equal(await countOf(t, b), 1);
});

t.test('20 concurrent identical requests with one key make exactly one Patient', async (t) => {
  const number = unique('C');
  const key = `key-${unique()}`;
  const responses = await Promise.all(Array.from({ length: 20 }, () => create(patient(number), key)));
  const created = responses.filter((r) => r.status === 201 && !r.headers['idempotent-replayed']);
  const replayed = responses.filter((r) => r.headers['idempotent-replayed'] === 'true');
  const inFlight = responses.filter((r) => r.status === 409);
  t.equal(created.length, 1, 'one request ran');
  t.equal(created.length + replayed.length + inFlight.length, 20, 'every other one replayed or was refused');
  for (const res of replayed) {
    t.equal(res.status, 201);
    t.equal(res.raw.body, created[0]!.raw.body, 'a replay carries the same body');
    t.equal(res.headers['location'], created[0]!.headers['location']);
  }
  for (const res of inFlight) {
    t.equal(errorCode(t, res), 'idempotency.in-flight');
    t.equal(validFhir(t, res).issue[0].code, 'conflict');
    t.equal(res.headers['retry-after'], '1');
  }
  t.equal(await countOf(t, number), 1, 'one Patient stored');
  const after = await create(patient(number), key);
  t.equal(after.headers['idempotent-replayed'], 'true', 'once answered, a retry replays');
  t.equal(after.raw.body, created[0]!.raw.body);
});

t.test('a 4xx first response is stored and replayed, even once the request would succeed', async (t) => {
  const number = unique('D');
  const existing = validFhir(t, await create(patient(number)));
  const key = `key-${unique()}`;
  const refused = await create(patient(number), key);
  t.equal(refused.status, 409, 'the insurance number is taken');
  validFhir(t, refused);

  // Free the number: the same request would now create a Patient, but the key answers as before.
  t.equal((await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Patient/${existing.id}` })).status, 204);
  const replay = await create(patient(number), key);
  t.equal(replay.status, 409);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.equal(replay.raw.body, refused.raw.body);
  validFhir(t, replay);
  t.equal(await countOf(t, number), 0, 'nothing was created by the replay');
});

t.test('an expired key may be used again, for another request', async (t) => {
  const key = `key-${unique()}`;
  const first = await create(patient(unique('E')), key);
  t.equal(first.status, 201);
  await kinga.database.pool.query(
    `update idempotency_key set expires_at = now() - interval '1 second' where key = $1`,
    [key],
  );
  const number = unique('E');
  const second = await create(patient(number), key);
  t.equal(second.status, 201);
  t.notOk(second.headers['idempotent-replayed']);
  t.not(second.headers['location'], first.headers['location']);
  t.equal(await countOf(t, number), 1);
});

t.test('a malformed key is a 400 and runs nothing', async (t) => {
  for (const [label, key] of [
    ['too long', 'k'.repeat(256)],
    ['empty', ''],
    ['a control character', 'a\tb'],
  ] as const) {
    const number = unique('M');
    const res = await create(patient(number), key);
    t.equal(res.status, 400, label);
    t.equal(errorCode(t, res), 'idempotency.key-invalid', label);
    t.match(validFhir(t, res).issue[0].diagnostics, /Idempotency-Key/);
    t.equal(await countOf(t, number), 0, `${label}: nothing created`);
  }
  t.equal((await create(patient(unique('M')), 'k'.repeat(255))).status, 201, '255 characters are fine');
});

t.test('a quoted key (the IETF draft form) is the same key as the bare one', async (t) => {
  const key = `key-${unique()}`;
  const number = unique('Q');
  t.equal((await create(patient(number), `"${key}"`)).status, 201);
  const again = await create(patient(number), key);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(await countOf(t, number), 1);
});

t.test('without a key nothing changes: two requests, two resources', async (t) => {
  const family = unique('NoKey');
  const first = await create(patient(unique('N'), family));
  const second = await create(patient(unique('N'), family));
  t.equal(first.status, 201);
  t.equal(second.status, 201);
  t.notOk(second.headers['idempotent-replayed']);
  t.not(first.headers['location'], second.headers['location']);
});

t.test('a POST without a body (an operation) is keyed too', async (t) => {
  const created = validFhir(t, await create(patient(unique('O'))));
  const key = `key-${unique()}`;
  const send = () =>
    kinga.fhir({
      method: 'POST',
      url: `/fhir/R4/Patient/${created.id}/$health-cards-issue`,
      headers: { 'idempotency-key': key },
    });
  const first = await send();
  t.ok(first.status < 500, `answered ${first.status}`);
  validFhir(t, first);
  const again = await send();
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.status, first.status);
  t.equal(again.raw.body, first.raw.body);
});

t.test('a key on a read (GET) is ignored', async (t) => {
  const res = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/Patient?_summary=count',
    headers: { 'idempotency-key': 'k'.repeat(300) },
  });
  t.equal(res.status, 200);
});
