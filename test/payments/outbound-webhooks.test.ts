/**
 * Outbound events as Standard Webhooks (integrations.md §7): a local receiver checks each
 * signature with the published scheme, computed here independently of Kinga's code, and answers
 * what the test tells it to (200, 500, 410).
 */
import fastify from 'fastify';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import t, { type Test } from 'tap';
import { deliverWebhooks, type DeliverySummary } from '../../src/integrations/webhooks/deliver-webhooks.ts';
import { nextAttemptAt } from '../../src/integrations/webhooks/retry-schedule.ts';
import { deliverWebhooksJob } from '../../src/platform/jobs/deliver-webhooks.job.ts';
import { JobService } from '../../src/platform/jobs/job-service.ts';
import { schemeJobs } from '../../src/platform/jobs/scheme-jobs.ts';
import { buildTestApp, freePort, unique } from '../helpers/test-app.ts';
import {
  allocateNow,
  mpesaC2b,
  policyToPay,
  postMpesaConfirmation,
  SECRETS,
  type PolicyToPay,
} from './payment-scheme.ts';

const kinga = await buildTestApp(t, { ...SECRETS, WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true' });
const db = kinga.database;
const ADMIN = 'system/Subscription.cruds';

/** Runs the job's work once, as the queue would. */
const job = deliverWebhooksJob(kinga.config);
const deliverNow = async () => (await job.run({}, { orm: db.orm, log: kinga.app.log })) as DeliverySummary;

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** A webhook receiver on a free port; `answer` decides each status. */
async function receiver(t: Test) {
  const server = fastify();
  const received: Received[] = [];
  const state = { answer: (_r: Received) => 200 };
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });
  server.post('/hook', async (request, reply) => {
    const raw = request.body as string;
    const entry = { headers: request.headers, raw, body: JSON.parse(raw) };
    received.push(entry);
    return reply.code(state.answer(entry)).send('');
  });
  const port = await freePort();
  await server.listen({ port, host: '127.0.0.1' });
  t.teardown(() => server.close());
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer(status: number | ((r: Received) => number)) {
      state.answer = typeof status === 'number' ? () => status : status;
    },
    /** What was received about one policy. */
    about(policy: PolicyToPay) {
      return received.filter((r) => r.body.data['policy'] === policy.policyId);
    },
  };
}

/** Standard Webhooks verification, as a receiver would write it from the specification. */
function signatureValid(secret: string, r: Received): boolean {
  const id = r.headers['webhook-id'] as string;
  const timestamp = r.headers['webhook-timestamp'] as string;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = Buffer.from(
    createHmac('sha256', key).update(`${id}.${timestamp}.${r.raw}`).digest('base64'),
  );
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
  return (
    fresh &&
    String(r.headers['webhook-signature'])
      .split(' ')
      .some((candidate) => {
        const [version, signature = ''] = candidate.split(',');
        const given = Buffer.from(signature);
        return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
      })
  );
}

const api = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, scopes = ADMIN) =>
  kinga.fhir({
    method,
    url,
    scopes,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });

async function subscribe(url: string, eventTypes: string[], secret?: string) {
  const res = await api('POST', '/webhooks/subscribers', {
    url,
    eventTypes,
    ...(secret ? { secret } : {}),
  });
  if (res.status !== 201) {
    throw new Error(`subscribe: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body as { id: string; secret: string };
}

/** An M-Pesa C2B confirmation for the policy's reference, then the allocation job's work. */
async function pay(policy: PolicyToPay, amount: string) {
  const res = await postMpesaConfirmation(kinga.app, mpesaC2b(unique('WH'), policy.reference, amount));
  if (res.statusCode !== 200) {
    throw new Error(`confirmation: ${res.statusCode} ${res.body}`);
  }
  await allocateNow(db);
}

async function deliveriesOf(subscriberId: string) {
  const rows = await db.pool.query(
    `select d.event_id, e.type, e.data->>'policy' as policy, d.status, d.attempts, d.last_status,
            d.last_error, extract(epoch from d.next_attempt_at - now()) as due_in
       from webhook_delivery d join outbound_event e on e.id = d.event_id
      where d.subscriber_id = $1`,
    [subscriberId],
  );
  return rows.rows as {
    event_id: string;
    type: string;
    policy: string;
    status: string;
    attempts: number;
    last_status: number | null;
    last_error: string | null;
    due_in: string | null;
  }[];
}

t.test(
  'the retry schedule: Standard Webhooks’ delays with jitter, Retry-After honoured, then failed',
  async (t) => {
    const now = new Date('2024-06-05T00:00:00Z');
    const after = (attempts: number, retryAfter?: string, random = 0.5) =>
      (nextAttemptAt(attempts, now, retryAfter, () => random)?.getTime() ?? NaN) - now.getTime();
    t.equal(after(1), 5_000, 'after the first attempt: 5 s');
    t.equal(after(2), 5 * 60_000);
    t.equal(after(9), 24 * 3_600_000, 'after the ninth: 24 h');
    t.equal(nextAttemptAt(10, now), null, 'ten attempts, then failed');
    t.equal(after(1, undefined, 0), 4_500, 'jitter: −10 %');
    t.equal(after(1, undefined, 1), 5_500, 'jitter: +10 %');
    t.equal(after(1, '120'), 120_000, 'Retry-After in seconds');
    t.equal(after(1, 'Wed, 05 Jun 2024 01:00:00 GMT'), 3_600_000, 'Retry-After as an HTTP date');
    t.equal(after(3, '1'), 30 * 60_000, 'never sooner than the schedule');
    t.equal(after(1, '9999999'), 24 * 3_600_000, 'a Retry-After of months is capped at a day');
  },
);

t.test('the subscriber API: a token with Subscription scopes, the secret shown once', async (t) => {
  const anonymous = await kinga.fhir({ method: 'GET', url: '/webhooks/subscribers', anonymous: true });
  t.equal(anonymous.status, 401);
  t.match(anonymous.headers['www-authenticate'], /Bearer/);
  t.match(anonymous.headers['content-type'], /application\/problem\+json/);
  const reader = await api(
    'POST',
    '/webhooks/subscribers',
    { url: 'https://sms.example/hook', eventTypes: ['policy.activated'] },
    'system/Patient.cruds',
  );
  t.equal(reader.status, 403, 'a scope on another type does not do');

  const refused = await api('POST', '/webhooks/subscribers', {
    url: 'ftp://sms.example/hook',
    eventTypes: ['policy.activated'],
  });
  t.equal(refused.status, 422);
  t.equal(refused.body.title, 'webhook.url-refused');
  const badSecret = await api('POST', '/webhooks/subscribers', {
    url: 'https://sms.example/hook',
    eventTypes: ['policy.activated'],
    secret: 'whsec_dG9vIHNob3J0',
  });
  t.equal(badSecret.status, 400);
  t.equal(badSecret.body.title, 'webhook.secret-invalid');
  const badType = await api('POST', '/webhooks/subscribers', {
    url: 'https://sms.example/hook',
    eventTypes: ['policy.nope'],
  });
  t.equal(badType.status, 400);

  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const created = await api('POST', '/webhooks/subscribers', {
    url: 'https://sms.example/hook',
    eventTypes: ['policy.activated', 'policy.balance-due'],
    secret,
    description: 'SMS gateway',
  });
  t.equal(created.status, 201);
  t.equal(created.body.secret, secret, 'the given secret is kept');
  t.equal(created.headers['location'], `/webhooks/subscribers/${created.body.id}`);
  t.match(created.body, { status: 'active', createdBy: 'test-client', description: 'SMS gateway' });
  const generated = await subscribe('https://sms.example/other', ['payment.received']);
  t.match(generated.secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'a generated secret: 32 random bytes');

  const list = await api('GET', '/webhooks/subscribers');
  t.equal(list.status, 200);
  const listed = list.body.subscribers.find((s: { id: string }) => s.id === created.body.id);
  t.match(listed, {
    url: 'https://sms.example/hook',
    eventTypes: ['policy.activated', 'policy.balance-due'],
  });
  t.notOk(JSON.stringify(list.body).includes('whsec_'), 'no secret is listed');
  const one = await api('GET', `/webhooks/subscribers/${created.body.id}`);
  t.same(one.body.deliveries, { pending: 0, delivered: 0, failed: 0 });
  t.notOk('secret' in one.body);

  const removed = await api('DELETE', `/webhooks/subscribers/${created.body.id}`);
  t.equal(removed.status, 200);
  t.match(removed.body, { status: 'disabled', disabledReason: 'disabled by test-client' });
  t.equal(
    (await api('DELETE', `/webhooks/subscribers/${generated.id}`, undefined, 'system/Subscription.rs'))
      .status,
    403,
  );
  await api('DELETE', `/webhooks/subscribers/${generated.id}`);
  t.equal((await api('GET', '/webhooks/subscribers/00000000-0000-7000-8000-000000000000')).status, 404);
  t.equal((await api('GET', '/webhooks/subscribers/not-an-id')).status, 404);
});

t.test('private and local addresses are refused unless WEBHOOK_ALLOW_PRIVATE_HOSTS', async (t) => {
  const strict = await buildTestApp(t);
  const token = await strict.token(ADMIN);
  for (const url of [
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
  ]) {
    const res = await strict.app.inject({
      method: 'POST',
      url: '/webhooks/subscribers',
      headers: { authorization: `Bearer ${token}` },
      payload: { url, eventTypes: ['policy.activated'] },
    });
    t.equal(res.statusCode, 422, url);
  }
});

t.test(
  'a full payment: payment.received and policy.activated, signed, the same id again after a 500',
  async (t) => {
    const hook = await receiver(t);
    hook.answer(500);
    const subscriber = await subscribe(hook.url, [
      'payment.received',
      'policy.activated',
      'policy.balance-due',
    ]);
    const policy = await policyToPay(db);
    await pay(policy, '100.00');

    const first = await deliverNow();
    t.ok(first.fannedOut >= 2);
    const failed = hook.about(policy);
    t.same(
      failed.map((r) => r.body.type).sort(),
      ['payment.received', 'policy.activated'],
      'nothing owed: no balance-due',
    );
    for (const r of failed) {
      t.ok(signatureValid(subscriber.secret, r), `${r.body.type}: the signature verifies`);
      t.equal(r.headers['content-type'], 'application/json');
    }
    const ours = (await deliveriesOf(subscriber.id)).filter((d) => d.policy === policy.policyId);
    t.equal(ours.length, 2);
    for (const d of ours) {
      t.match(d, { status: 'pending', attempts: 1, last_status: 500 });
      t.ok(Number(d.due_in) > 4 && Number(d.due_in) < 6, `retried about 5 s later (${d.due_in} s)`);
    }
    t.same(
      ours.map((d) => d.event_id).sort(),
      failed.map((r) => r.headers['webhook-id']).sort(),
      'webhook-id is the event id',
    );

    // Five seconds pass.
    hook.answer(200);
    await db.pool.query(
      `update webhook_delivery set next_attempt_at = now() where subscriber_id = $1 and status = 'pending'`,
      [subscriber.id],
    );
    await deliverNow();
    const all = hook.about(policy);
    t.equal(all.length, 4, 'each event tried twice');
    for (const retry of all.slice(2)) {
      t.ok(signatureValid(subscriber.secret, retry), 'the retry is signed again');
      const original = failed.find((r) => r.body.type === retry.body.type)!;
      t.equal(
        retry.headers['webhook-id'],
        original.headers['webhook-id'],
        'the same webhook-id on the retry',
      );
      t.equal(retry.raw, original.raw, 'the same body');
    }
    const activated = all.find((r) => r.body.type === 'policy.activated')!;
    t.match(activated.body.data, {
      policy: policy.policyId,
      status: 'active',
      balance: '0.00',
      effectiveDate: '2024-06-05',
    });
    t.match(activated.body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const received = all.find((r) => r.body.type === 'payment.received')!;
    t.match(received.body.data, { provider: 'mpesa', amount: '100.00', reversed: false });
    t.same(
      (await deliveriesOf(subscriber.id))
        .filter((d) => d.policy === policy.policyId)
        .map((d) => [d.status, d.attempts]),
      [
        ['delivered', 2],
        ['delivered', 2],
      ],
    );

    await deliverNow();
    t.equal(hook.about(policy).length, 4, 'a delivered event is not sent again');
    const summary = await api('GET', `/webhooks/subscribers/${subscriber.id}`);
    t.ok(summary.body.deliveries.delivered >= 2);
    await api('DELETE', `/webhooks/subscribers/${subscriber.id}`);
  },
);

t.test('410 Gone disables the subscriber and stops its pending deliveries', async (t) => {
  const hook = await receiver(t);
  hook.answer(410);
  const subscriber = await subscribe(hook.url, [
    'payment.received',
    'policy.activated',
    'policy.balance-due',
  ]);
  await pay(await policyToPay(db), '100.00');
  const run = await deliverNow();
  t.equal(run.disabledSubscribers, 1);
  t.equal(hook.received.length, 1, 'one 410, and nothing more is sent to it');
  const after = await api('GET', `/webhooks/subscribers/${subscriber.id}`);
  t.match(after.body, { status: 'disabled', disabledReason: /410 Gone/ });
  const deliveries = await deliveriesOf(subscriber.id);
  t.ok(deliveries.length >= 2);
  t.equal(deliveries.filter((d) => d.status !== 'failed').length, 0, 'none left pending');
  t.equal(deliveries.filter((d) => d.last_status === 410).length, 1);
  t.ok(
    deliveries
      .filter((d) => d.attempts === 0)
      .every((d) => /^stopped: the endpoint answered 410/.test(d.last_error!)),
  );

  await pay(await policyToPay(db), '100.00');
  await deliverNow();
  t.equal(hook.received.length, 1, 'a disabled subscriber gets no new events');
  t.equal((await deliveriesOf(subscriber.id)).length, deliveries.length, 'and no new deliveries');
});

t.test('a partial payment sends policy.balance-due with the balance, through the job queue', async (t) => {
  const hook = await receiver(t);
  const subscriber = await subscribe(hook.url, ['policy.balance-due']);
  const policy = await policyToPay(db);
  await pay(policy, '40.00');

  // A queue of its own, so that no other test file's worker takes this run.
  const jobs = new JobService({
    url: kinga.config.DATABASE_URL!,
    schema: `kinga_jobs_webhooks_${process.pid}`,
    timeZone: 'UTC',
    jobs: schemeJobs(kinga.config),
    context: { orm: db.orm, log: kinga.app.log },
    schedule: false,
  });
  await jobs.start();
  t.teardown(() => jobs.stop());
  const id = await jobs.send('deliver-webhooks');
  let state: string | undefined;
  for (let i = 0; i < 120 && state !== 'completed' && state !== 'failed'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    state = (await jobs.find('deliver-webhooks', id!))?.state;
  }
  t.equal(state, 'completed', 'deliver-webhooks ran on demand');

  const got = hook.about(policy);
  t.equal(got.length, 1, 'only the subscribed type');
  t.equal(got[0]!.body.type, 'policy.balance-due');
  t.match(got[0]!.body.data, { policy: policy.policyId, status: 'idle', balance: '60.00' });
  t.ok(signatureValid(subscriber.secret, got[0]!));
  await api('DELETE', `/webhooks/subscribers/${subscriber.id}`);
});

t.test('at delivery, a name resolving to a private address is refused (the SSRF guard)', async (t) => {
  const hook = await receiver(t);
  const byName = await subscribe(`http://localhost:${hook.port}/hook`, ['payment.received']);
  const byAddress = await subscribe(hook.url, ['payment.received']);
  await pay(await policyToPay(db), '100.00');
  await deliverWebhooks(db.orm, { allowPrivateHosts: false });
  t.equal(hook.received.length, 0, 'nothing reached the receiver');
  for (const [subscriber, error] of [
    [byName, /localhost resolves to a private address/],
    [byAddress, /127\.0\.0\.1 is a private address/],
  ] as const) {
    const [delivery] = await deliveriesOf(subscriber.id);
    t.match(delivery, { status: 'pending', attempts: 1, last_status: null, last_error: error });
    await api('DELETE', `/webhooks/subscribers/${subscriber.id}`);
  }
});
