import { mtnClientFrom } from '../../integrations/payments/clients/mtn-client.ts';
import { pollPendingMtnRequests } from '../../integrations/payments/poll-mtn-requests.ts';
import type { Config } from '../config/config.ts';
import { nativePool } from '../database/orm.ts';
import type { ScheduledJob } from './job-service.ts';

/**
 * Asks MTN for the outcome of RequestToPay left without a callback after MTN_POLL_AFTER_MINUTES
 * (MTN never retries a callback). What it stores is allocated by the allocate-payments sweep,
 * which runs every minute: this job wakes nothing itself.
 */
export function pollMtnRequestsJob(config: Config): ScheduledJob {
  const client = mtnClientFrom(config);
  return {
    name: 'poll-mtn-requests',
    cron: config.MTN_POLL_CRON,
    async run(_data, { orm, log }) {
      if (!client) {
        return { polled: 0, skipped: 'the MTN API is not configured' };
      }
      return pollPendingMtnRequests(await nativePool(orm), client, {
        afterMinutes: config.MTN_POLL_AFTER_MINUTES,
        log,
      });
    },
  };
}
