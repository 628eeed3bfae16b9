import { expirePolicies } from '../../domain/policy/expire-policies.ts';
import type { Config } from '../config/config.ts';
import type { ScheduledJob } from './job-service.ts';
import { todayIn } from './scheme-today.ts';
import { sweep } from './sweep.ts';

/** Data of a run sent by hand; a scheduled run acts on the scheme's today. */
export interface PolicySweepData {
  today?: string;
}

/** Nightly: policies past their expiry date become expired. */
export function expirePoliciesJob(config: Config): ScheduledJob<PolicySweepData> {
  return {
    name: 'expire-policies',
    cron: config.EXPIRE_POLICIES_CRON,
    async run(data, { orm }) {
      const today = data.today ?? todayIn(config.SCHEME_TIME_ZONE);
      const expired = await sweep(orm, 'job:expire-policies', (tx) => expirePolicies(tx, today));
      return { today, expired };
    },
  };
}
