import { parsePeriod } from '../../domain/indicator/periods.ts';
import { indicatorCubeOf } from '../../integrations/dhis2/indicator-data.service.ts';
import { dhis2Instances } from '../../integrations/dhis2/push/dhis2-instances.ts';
import { lastMonth, pushDhis2 } from '../../integrations/dhis2/push/push-dhis2.ts';
import type { Config } from '../config/config.ts';
import { nativePool } from '../database/orm.ts';
import { poolQueryable } from '../database/queryable.ts';
import type { ScheduledJob } from './job-service.ts';
import { todayIn } from './scheme-today.ts';

export interface PushDhis2Data {
  /** The scheme's today (tests); the pushed period is the month before it. */
  today?: string;
  /** A DHIS2 period to push instead of last month's (a re-push). */
  period?: string;
}

export const PUSH_DHIS2_ACTOR = 'job:push-dhis2';

/**
 * Monthly (DHIS2_PUSH_CRON): last month's data sets to every DHIS2 instance of DHIS2_INSTANCES,
 * each push recorded as a Dhis2PushRun. A push that got no answer or a 5xx fails the job, and
 * pg-boss retries it with backoff; a 409 is a data conflict, recorded and not retried.
 */
export function pushDhis2Job(config: Config): ScheduledJob<PushDhis2Data> {
  const instances = dhis2Instances(config.DHIS2_INSTANCES);
  return {
    name: 'push-dhis2',
    cron: config.DHIS2_PUSH_CRON,
    async run(data, { orm, log }) {
      const period = data.period
        ? parsePeriod(data.period)
        : lastMonth(data.today ?? todayIn(config.SCHEME_TIME_ZONE));
      const pool = await nativePool(orm);
      const deps = { em: orm.em, db: poolQueryable(pool), cube: indicatorCubeOf(config, pool) };
      const summary = await pushDhis2(deps, instances, period, PUSH_DHIS2_ACTOR);
      for (const run of summary.runs.filter((r) => r.status !== 'success')) {
        log.warn(run, 'DHIS2 push not fully imported');
      }
      return summary;
    },
  };
}
