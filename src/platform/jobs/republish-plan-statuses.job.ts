import { republishPlanStatuses } from '../../fhir/insurance-plan/republish-plan-status.ts';
import type { Config } from '../config/config.ts';
import type { PolicySweepData } from './expire-policies.job.ts';
import type { ScheduledJob } from './job-service.ts';
import { todayIn } from './scheme-today.ts';

/** Daily, just after midnight: InsurancePlans whose sale window opened or closed are published again. */
export function republishPlanStatusesJob(config: Config): ScheduledJob<PolicySweepData> {
  return {
    name: 'republish-plan-statuses',
    cron: config.REPUBLISH_PLAN_STATUSES_CRON,
    async run(data, { orm }) {
      const today = data.today ?? todayIn(config.SCHEME_TIME_ZONE);
      const republished = await republishPlanStatuses(orm.em, today);
      return { today, republished: republished.length };
    },
  };
}
