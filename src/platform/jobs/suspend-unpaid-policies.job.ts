import { suspendUnpaidPolicies } from '../../domain/policy/suspend-unpaid-policies.ts';
import type { Config } from '../config/config.ts';
import type { PolicySweepData } from './expire-policies.job.ts';
import type { ScheduledJob } from './job-service.ts';
import { todayIn } from './scheme-today.ts';
import { sweep } from './sweep.ts';

/** Nightly: idle policies past their payment grace period become suspended. */
export function suspendUnpaidPoliciesJob(config: Config): ScheduledJob<PolicySweepData> {
  return {
    name: 'suspend-unpaid-policies',
    cron: config.SUSPEND_UNPAID_POLICIES_CRON,
    async run(data, { orm }) {
      const today = data.today ?? todayIn(config.SCHEME_TIME_ZONE);
      const suspended = await sweep(orm, 'job:suspend-unpaid-policies', (tx) =>
        suspendUnpaidPolicies(tx, today),
      );
      return { today, suspended };
    },
  };
}
