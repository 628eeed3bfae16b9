import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/config.ts';
import { allocatePaymentsJob } from './allocate-payments.job.ts';
import { deliverWebhooksJob } from './deliver-webhooks.job.ts';
import { expirePoliciesJob } from './expire-policies.job.ts';
import { JobService, type JobLog } from './job-service.ts';
import { pollMtnRequestsJob } from './poll-mtn-requests.job.ts';
import { promptRenewalsJob } from './prompt-renewals.job.ts';
import { pushDhis2Job } from './push-dhis2.job.ts';
import { refreshIndicatorCellsJob } from './refresh-indicator-cells.job.ts';
import { relativePricingJob } from './relative-pricing.job.ts';
import { republishPlanStatusesJob } from './republish-plan-statuses.job.ts';
import { todayIn } from './scheme-today.ts';
import { suspendUnpaidPoliciesJob } from './suspend-unpaid-policies.job.ts';

/** Every scheduled job of the scheme. */
export function schemeJobs(config: Config) {
  return [
    expirePoliciesJob(config),
    suspendUnpaidPoliciesJob(config),
    promptRenewalsJob(config),
    republishPlanStatusesJob(config),
    allocatePaymentsJob(config),
    pollMtnRequestsJob(config),
    deliverWebhooksJob(config),
    relativePricingJob(config),
    refreshIndicatorCellsJob(config),
    pushDhis2Job(config),
  ];
}

/** The job queue, started on the application's database (after its migrations): worked here, or only sent to. */
export async function startSchemeJobs(
  config: Config,
  url: string,
  orm: MikroORM,
  log: JobLog,
  options: { work?: boolean } = {},
): Promise<JobService> {
  // An unknown zone fails here, at startup, rather than in the first night's run.
  todayIn(config.SCHEME_TIME_ZONE);
  const service = new JobService({
    url,
    timeZone: config.SCHEME_TIME_ZONE,
    jobs: schemeJobs(config),
    context: { orm, log },
    // A process that does not work the queues does not schedule them either.
    ...(options.work === false ? { work: false, schedule: false } : {}),
  });
  await service.start();
  return service;
}
