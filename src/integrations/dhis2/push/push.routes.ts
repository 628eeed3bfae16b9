import type { FastifyInstance } from 'fastify';
import { parsePeriod } from '../../../domain/indicator/periods.ts';
import type { Config } from '../../../platform/config/config.ts';
import { poolQueryable } from '../../../platform/database/queryable.ts';
import { authenticated } from '../dhis2-auth.ts';
import { dataSetNamed, indicatorCubeOf } from '../indicator-data.service.ts';
import { dhis2Instances } from './dhis2-instances.ts';
import type { Dhis2PushRun } from './dhis2-push-run.entity.ts';
import { instanceFor } from './push-dhis2.ts';
import { pushDataSet } from './push-data-set.ts';
import { pushSchema } from './push.schema.ts';

/** The run as the API shows it. */
export function pushRunView(run: Dhis2PushRun) {
  return {
    id: run.id,
    instance: run.instance,
    dataSet: run.dataSet,
    period: run.period,
    format: run.format,
    status: run.status,
    httpStatus: run.httpStatus ?? null,
    valuesSent: run.valuesSent,
    importCount:
      run.imported == null
        ? null
        : { imported: run.imported, updated: run.updated, ignored: run.ignored, deleted: run.deleted },
    conflicts: run.conflicts ?? [],
    message: run.message ?? null,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/**
 * POST /dhis2/push {instance, dataSet, period}: one push now, as the monthly job makes it (a
 * re-push after fixing metadata or data), answered with its recorded run. A push DHIS2 did not
 * answer (or answered 5xx) is recorded as failed and answered 502 with the run; asking again
 * pushes again (DHIS2 takes it as updates).
 */
export function pushRoutes(app: FastifyInstance, config: Config): void {
  const instances = dhis2Instances(config.DHIS2_INSTANCES);
  const { database } = app.kinga;
  const deps = {
    em: database.orm.em,
    db: poolQueryable(database.pool),
    cube: indicatorCubeOf(config, database.pool),
  };
  app.post<{ Body: { instance: string; dataSet: string; period: string } }>(
    '/push',
    {
      onRequest: authenticated(app, { type: 'Measure', permission: 'u', interaction: 'update' }),
      schema: pushSchema,
    },
    async (request, reply) => {
      const { instance: name, dataSet: dataSetRef, period: periodCode } = request.body;
      const dataSet = dataSetNamed(dataSetRef);
      const period = parsePeriod(periodCode);
      const instance = instanceFor(instances, name, dataSet);
      const run = await pushDataSet(deps, instance, dataSet, period, request.principal!.clientId);
      return reply.code(run.status === 'failed' ? 502 : 200).send(pushRunView(run));
    },
  );
}
