import { promptRenewals } from '../../domain/policy/prompt-renewals.ts';
import type { Config } from '../config/config.ts';
import type { PolicySweepData } from './expire-policies.job.ts';
import type { ScheduledJob } from './job-service.ts';
import { todayIn } from './scheme-today.ts';
import { sweep } from './sweep.ts';

/** Daily: renewal prompts for active policies expiring within RENEWAL_PROMPT_DAYS. */
export function promptRenewalsJob(config: Config): ScheduledJob<PolicySweepData> {
  return {
    name: 'prompt-renewals',
    cron: config.PROMPT_RENEWALS_CRON,
    async run(data, { orm }) {
      const today = data.today ?? todayIn(config.SCHEME_TIME_ZONE);
      const prompted = await sweep(orm, 'job:prompt-renewals', (tx) =>
        promptRenewals(tx, today, config.RENEWAL_PROMPT_DAYS),
      );
      return { today, prompted };
    },
  };
}
