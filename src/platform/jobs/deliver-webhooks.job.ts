import { deliverWebhooks } from '../../integrations/webhooks/deliver-webhooks.ts';
import type { Config } from '../config/config.ts';
import type { ScheduledJob } from './job-service.ts';

/**
 * Sends the outbound events (the outbox written with each allocation) to their subscribers as
 * Standard Webhooks: every minute, and whenever sent (`JobService.send('deliver-webhooks')`).
 * Retries are due at their own times (5 s, 5 min, …); a run sends whatever is due, so a retry
 * waits for the next run at most.
 */
export function deliverWebhooksJob(config: Config): ScheduledJob {
  return {
    name: 'deliver-webhooks',
    cron: '* * * * *',
    async run(_data, { orm }) {
      return deliverWebhooks(orm, { allowPrivateHosts: config.WEBHOOK_ALLOW_PRIVATE_HOSTS });
    },
  };
}
