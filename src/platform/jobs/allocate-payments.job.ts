import { policyRulesFrom } from '../../domain/policy/policy-rules.ts';
import { allocateWaitingPayments } from '../../integrations/payments/allocate-inbox.ts';
import type { Config } from '../config/config.ts';
import type { ScheduledJob } from './job-service.ts';
import { todayIn } from './scheme-today.ts';

/**
 * Allocates the payments waiting in the inbox: woken by each callback stored (JobService.send,
 * debounced), and every minute as a sweep in case a wake-up was lost.
 */
export function allocatePaymentsJob(config: Config): ScheduledJob {
  const rules = policyRulesFrom(config);
  return {
    name: 'allocate-payments',
    cron: config.ALLOCATE_PAYMENTS_CRON,
    policy: 'stately',
    async run(_data, { orm }) {
      return allocateWaitingPayments(orm, { rules, today: todayIn(config.SCHEME_TIME_ZONE) });
    },
  };
}
