import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import t from 'tap';
import { JobService } from '../../src/platform/jobs/job-service.ts';
import { testConfig } from '../helpers/test-app.ts';
import { openTestDatabase } from '../policy/scheme-fixtures.ts';

// JOBS_IN_SERVER=false: the server only sends (wakes) jobs; a worker process takes them.

const db = await openTestDatabase(t);
const config = testConfig();
const ran: object[] = [];
const job = {
  name: 'kinga-test-echo',
  cron: '0 0 1 1 *',
  async run(data: object) {
    ran.push(data);
    return { echoed: data };
  },
};
const common = {
  url: config.DATABASE_URL!,
  timeZone: 'UTC',
  jobs: [job],
  context: { orm: db.orm, log: pino({ level: 'silent' }) },
  schedule: false,
};

t.test('a sending-only service queues jobs that a worker service runs', async (t) => {
  const server = new JobService({ ...common, work: false });
  await server.start();
  t.teardown(() => server.stop());
  const id = await server.send(job.name, { n: 1 });
  t.ok(id, 'queued by the server');
  await sleep(1500);
  t.same(ran, [], 'the server does not take it');

  const worker = new JobService(common);
  await worker.start();
  t.teardown(() => worker.stop());
  for (let i = 0; i < 80 && ran.length === 0; i += 1) {
    await sleep(250);
  }
  t.same(ran, [{ n: 1 }], 'the worker ran it');
  const done = await worker.find(job.name, id!);
  t.equal(done?.state, 'completed');
});
