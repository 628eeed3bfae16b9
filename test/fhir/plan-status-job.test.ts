/**
 * The daily republication of InsurancePlan statuses, run as a job on the pg-boss queue.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import t from 'tap';
import { JobService } from '../../src/platform/jobs/job-service.ts';
import { republishPlanStatusesJob } from '../../src/platform/jobs/republish-plan-statuses.job.ts';
import { schemeJobs } from '../../src/platform/jobs/scheme-jobs.ts';
import { buildTestApp, validFhir } from '../helpers/test-app.ts';
import { product, read } from '../helpers/policy-api.ts';

const kinga = await buildTestApp(t, { REPUBLISH_PLAN_STATUSES_CRON: '2 0 * * *' });

t.test('it is one of the scheme jobs, on its configured schedule', async (t) => {
  const job = schemeJobs(kinga.config).find((j) => j.name === 'republish-plan-statuses');
  t.ok(job);
  t.equal(job!.cron, '2 0 * * *');
});

t.test('the job publishes again a plan whose published status is no longer the day’s', async (t) => {
  const jobs = new JobService({
    url: kinga.config.DATABASE_URL!,
    timeZone: kinga.config.SCHEME_TIME_ZONE,
    jobs: [republishPlanStatusesJob(kinga.config)],
    context: { orm: kinga.database.orm, log: pino({ level: 'silent' }) },
    // No cron in tests: runs are sent.
    schedule: false,
  });
  await jobs.start();
  t.teardown(() => jobs.stop());

  const plan = await product(t, kinga, { premiumAdult: 10 });
  t.equal(plan.status, 'active');
  // As if published before its sale window opened and not touched since.
  await kinga.database.pool.query(
    `update fhir_resource set content = replace(content, '"status":"active"', '"status":"draft"') where resource_type = 'InsurancePlan' and id = $1`,
    [plan.id],
  );
  t.equal(validFhir(t, await read(kinga, `InsurancePlan/${plan.id}`)).status, 'draft');

  const id = await jobs.send('republish-plan-statuses');
  t.ok(id, 'queued');
  let run: { state: string; output: any } | undefined;
  for (let i = 0; i < 120 && !(run && ['completed', 'failed'].includes(run.state)); i += 1) {
    await sleep(250);
    run = await jobs.find('republish-plan-statuses', id!);
  }
  t.equal(run?.state, 'completed');
  t.ok(run!.output.republished >= 1, 'at least this plan was republished');

  const republished = validFhir(t, await read(kinga, `InsurancePlan/${plan.id}`));
  t.equal(republished.status, 'active');
  t.equal(republished.meta.versionId, '2', 'as a new version');
});
