import type { EntityManager } from '@mikro-orm/core';
import { DataSets, type DataSetCode } from '../../../domain/indicator/catalogue.ts';
import type { IndicatorCube } from '../../../domain/indicator/cube.ts';
import type { Period } from '../../../domain/indicator/periods.ts';
import type { Queryable } from '../../../platform/database/queryable.ts';
import { inTransaction } from '../../../platform/database/unit-of-work.ts';
import { orgUnitsAtLevels } from '../cube/org-units.ts';
import { ADX_MEDIA_TYPE, adxMessage } from '../formats/adx.ts';
import { dataValueSet } from '../formats/data-value-sets.ts';
import { CODE_SCHEMES } from '../formats/id-schemes.ts';
import { isDhis2Value } from '../formats/indicator-data.ts';
import { indicatorData } from '../indicator-data.service.ts';
import { authorizationOf, type Dhis2Instance } from './dhis2-instances.ts';
import { Dhis2PushRun } from './dhis2-push-run.entity.ts';
import { readImportSummary } from './read-import-summary.ts';

/** How long DHIS2 may take to import a month (a synchronous import of thousands of values). */
const TIMEOUT_MS = 120_000;

/**
 * The level a data set is pushed at: wards for location data sets (as openIMIS's ENROLMENT), each
 * health facility for facility data sets. One level only: DHIS2 adds values up its own hierarchy,
 * so values pushed at two levels would count twice.
 */
const PUSH_LEVEL = { location: 'W', facility: 'HF' } as const;

export interface PushDependencies {
  em: EntityManager;
  db: Queryable;
  cube: IndicatorCube;
  /** Overridable for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/**
 * DHIS2's import parameters: every object by code (the metadata package's codes), and
 * CREATE_AND_UPDATE so that pushing a period again updates the same values (idempotent).
 */
export const PUSH_QUERY =
  'dataElementIdScheme=code&orgUnitIdScheme=code&idScheme=code&importStrategy=CREATE_AND_UPDATE';

type RunChanges = Partial<
  Pick<
    Dhis2PushRun,
    | 'status'
    | 'httpStatus'
    | 'valuesSent'
    | 'imported'
    | 'updated'
    | 'ignored'
    | 'deleted'
    | 'conflicts'
    | 'message'
    | 'finishedAt'
  >
>;

/** The run as it now stands, written in a transaction of its own (whatever happens next, it stays). */
async function record(
  em: EntityManager,
  id: string,
  changes: RunChanges,
  actor: string,
): Promise<Dhis2PushRun> {
  return inTransaction(em.fork(), { actor }, async (tx) => {
    const run = await tx.findOneOrFail(Dhis2PushRun, { id });
    tx.assign(run, changes);
    return run;
  });
}

/**
 * Pushes one data set's period to one instance: computes the values of every org unit at the
 * data set's level, POSTs them as JSON or ADX, reads the import summary and records the run. A 409
 * (or a summary with conflicts) is recorded as a data conflict and not retried; another 4xx as an
 * error (credentials, metadata); no answer or a 5xx as failed, which the caller may retry (the
 * job fails, and the queue retries it). Answers the recorded run.
 */
export async function pushDataSet(
  deps: PushDependencies,
  instance: Dhis2Instance,
  dataSet: DataSetCode,
  period: Period,
  actor: string,
): Promise<Dhis2PushRun> {
  const { id } = await inTransaction(deps.em.fork(), { actor }, async (tx) =>
    tx.create(Dhis2PushRun, {
      instance: instance.name,
      url: instance.url,
      dataSet,
      period: period.code,
      format: instance.format,
      actor,
      status: 'running',
      startedAt: new Date(),
    }),
  );

  const adx = instance.format === 'adx';
  let body: string;
  let valuesSent: number;
  try {
    const orgUnits = await orgUnitsAtLevels(deps.db, [PUSH_LEVEL[DataSets[dataSet].orgUnits]]);
    const data = await indicatorData(deps.cube, [dataSet], [period], orgUnits);
    valuesSent = data.observations.filter(isDhis2Value).length;
    body = adx
      ? adxMessage(data, CODE_SCHEMES, new Date())
      : JSON.stringify(dataValueSet(data, CODE_SCHEMES));
  } catch (error) {
    const message = `The values could not be computed: ${error instanceof Error ? error.message : String(error)}`;
    await record(deps.em, id, { status: 'failed', message, finishedAt: new Date() }, actor);
    throw error;
  }

  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(`${instance.url}/api/dataValueSets?${PUSH_QUERY}`, {
      method: 'POST',
      headers: {
        'content-type': adx ? ADX_MEDIA_TYPE : 'application/json',
        accept: 'application/json',
        authorization: authorizationOf(instance),
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const message = `No answer from ${instance.url}: ${error instanceof Error ? error.message : String(error)}`;
    return record(deps.em, id, { status: 'failed', valuesSent, message, finishedAt: new Date() }, actor);
  }

  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const summary = readImportSummary(json);
  const changes: RunChanges = { httpStatus: response.status, valuesSent, finishedAt: new Date() };
  if (summary) {
    const { imported, updated, ignored, deleted, conflicts, message } = summary;
    Object.assign(changes, { imported, updated, ignored, deleted, conflicts, message });
  } else {
    const message = (json as { message?: unknown } | undefined)?.message;
    changes.message = typeof message === 'string' ? message : text.slice(0, 500) || null;
  }
  if (response.status >= 500) {
    changes.status = 'failed';
  } else if (response.status === 409 || (response.ok && summary?.status === 'WARNING')) {
    changes.status = 'conflict';
  } else if (response.ok && summary?.status === 'SUCCESS') {
    changes.status = 'success';
  } else {
    // Another 4xx, a summary ERROR, or a 2xx that is no import summary (an async job, a proxy page).
    changes.status = 'error';
    changes.message ??= `DHIS2 answered ${response.status} without an import summary`;
  }
  return record(deps.em, id, changes, actor);
}
