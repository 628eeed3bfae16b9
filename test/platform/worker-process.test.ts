/**
 * `npm run worker` as compose.yaml deploys it: a process of its own beside a server that only
 * stores callbacks and wakes the jobs (JOBS_IN_SERVER=false). What its jobs change must be
 * published as the API serves it: a payment it allocates is a PaymentNotice, and the policy's
 * Coverage shows it active. The worker runs every scheme job, so it gets a database of its own,
 * created here and dropped after, out of the other test files' way.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import t from 'tap';
import { ChildServer } from '../../bench/child-server.ts';
import { openDatabase } from '../../src/app.ts';
import { migrateUp } from '../../src/platform/database/orm.ts';
import { startSchemeJobs } from '../../src/platform/jobs/scheme-jobs.ts';
import { buildTestApp, TEST_SIGNING_KEY, testConfig, validFhir } from '../helpers/test-app.ts';
import { mpesaC2b, policyToPay, postMpesaConfirmation, SECRETS } from '../payments/payment-scheme.ts';

const shared = new URL(testConfig().DATABASE_URL!);
const name = `kinga_worker_${randomBytes(4).toString('hex')}`;
const url = new URL(shared);
url.pathname = `/${name}`;
const admin = new pg.Client({ connectionString: shared.toString() });
await admin.connect();
await admin.query(`create database ${name}`);
t.teardown(async () => {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

const env = {
  NODE_ENV: 'test',
  DATABASE_URL: url.toString(),
  SIGNING_KEY: TEST_SIGNING_KEY,
  SCHEME_TIME_ZONE: 'UTC',
  JOBS_IN_SERVER: 'false',
};
const migrating = await openDatabase(testConfig(env), url.toString());
await migrateUp(migrating.orm);
await migrating.orm.close();
const kinga = await buildTestApp(t, { ...SECRETS, ...env });
const db = kinga.database;

t.test('a payment allocated by the worker process is published: PaymentNotice and Coverage', async (t) => {
  // As the bench starts it: `node src/worker.ts`, ready once it logs so.
  const worker = await ChildServer.startWorker('worker', path.resolve('src/worker.ts'), {
    env: { ...env, LOG_LEVEL: 'info' },
    readyLine: 'worker started',
  });
  t.teardown(() => worker.stop());
  const policy = await policyToPay(db);
  const transId = `WK${Date.now()}`;
  const stored = await postMpesaConfirmation(kinga.app, mpesaC2b(transId, policy.reference, '100.00'));
  t.equal(stored.statusCode, 200, 'acknowledged');

  // What the server does after storing a callback: wake the allocation job (it does not run it).
  const sender = await startSchemeJobs(testConfig(env), url.toString(), db.orm, pino({ level: 'silent' }), {
    work: false,
  });
  t.teardown(() => sender.stop());
  await sender.send('allocate-payments');

  let status = 'received';
  for (let i = 0; i < 120 && status === 'received'; i += 1) {
    await sleep(250);
    const rows = await db.pool.query<{ status: string }>(
      'select status from payment_inbox where provider_txn_id = $1',
      [transId],
    );
    status = rows.rows[0]?.status ?? 'missing';
  }
  t.equal(status, 'allocated', 'the worker allocated it');

  const notices = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/PaymentNotice?identifier=${transId}` }),
  );
  t.equal(notices.entry?.length, 1, 'the premium it recorded is published as a PaymentNotice');
  t.equal(notices.entry?.[0].resource.amount.value, 100);

  const coverages = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Coverage?contract=Contract/${policy.policyId}` }),
  );
  t.ok((coverages.entry?.length ?? 0) > 0, 'the policy has published Coverage');
  for (const entry of coverages.entry ?? []) {
    t.equal(entry.resource.status, 'active', 'each member’s Coverage shows the policy paid and active');
  }
  t.equal(await worker.stop(), 0, 'the worker stops cleanly on SIGTERM');
});
