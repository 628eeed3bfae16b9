import type { DataSetCode } from '../../../domain/indicator/catalogue.ts';
import { periodOf, type Period } from '../../../domain/indicator/periods.ts';
import { addMonths } from '../../../domain/policy/calendar.ts';
import type { IsoDate } from '../../../domain/shared/dates.ts';
import { KingaError } from '../../../domain/shared/errors.ts';
import type { Dhis2Instance } from './dhis2-instances.ts';
import { pushDataSet, type PushDependencies } from './push-data-set.ts';

/** Pushes that got no answer or a 5xx: the job fails so that the queue retries it. */
export class RetriablePushError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetriablePushError';
  }
}

/** The month before `today`'s (what the monthly push sends, as openIMIS's ETL does). */
export function lastMonth(today: IsoDate): Period {
  return periodOf('monthly', addMonths(today, -1));
}

/** The instance named `name`, and that it takes `dataSet` (400 otherwise). */
export function instanceFor(
  instances: readonly Dhis2Instance[],
  name: string,
  dataSet: DataSetCode,
): Dhis2Instance {
  const instance = instances.find((i) => i.name === name);
  if (!instance) {
    throw new KingaError('dhis2.instance-unknown', {
      instance: name,
      known: instances.map((i) => i.name).join(', ') || 'none',
    });
  }
  if (!instance.dataSets.includes(dataSet)) {
    throw new KingaError('dhis2.data-set-not-pushed', { instance: name, dataSet });
  }
  return instance;
}

export interface PushSummary {
  period: string;
  runs: { instance: string; dataSet: string; status: string; runId: string }[];
  failed: { instance: string; dataSet: string; error: string }[];
}

/**
 * Pushes `period` of every data set of every instance, each on its own: one instance down does not
 * keep the others from their data. Conflicts and refusals are recorded and reported; pushes that
 * got no answer (or a 5xx) are retried by throwing once every push was tried. The retry pushes
 * every data set again, which DHIS2 takes as updates (CREATE_AND_UPDATE).
 */
export async function pushDhis2(
  deps: PushDependencies,
  instances: readonly Dhis2Instance[],
  period: Period,
  actor: string,
): Promise<PushSummary> {
  const summary: PushSummary = { period: period.code, runs: [], failed: [] };
  for (const instance of instances) {
    for (const dataSet of instance.dataSets) {
      try {
        const run = await pushDataSet(deps, instance, dataSet, period, actor);
        summary.runs.push({ instance: instance.name, dataSet, status: run.status, runId: run.id });
        if (run.status === 'failed') {
          summary.failed.push({
            instance: instance.name,
            dataSet,
            error: run.message ?? `HTTP ${run.httpStatus}`,
          });
        }
      } catch (error) {
        summary.failed.push({
          instance: instance.name,
          dataSet,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
  if (summary.failed.length > 0) {
    throw new RetriablePushError(
      `DHIS2 push of ${period.code} failed for ${summary.failed.map((f) => `${f.instance}/${f.dataSet}`).join(', ')}: ` +
        summary.failed.map((f) => f.error).join('; '),
    );
  }
  return summary;
}
