/**
 * Pushing to DHIS2 against a local stub that answers as DHIS2 does (integrations.md §1.5): the
 * request it receives (path, import parameters, credentials, body), the recorded runs, 409 as a
 * data conflict that is not retried, and a 500 retried by the pg-boss queue.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import fastify from 'fastify';
import { pino } from 'pino';
import t from 'tap';
import { Dhis2PushRun } from '../../src/integrations/dhis2/push/dhis2-push-run.entity.ts';
import { findOrgUnits } from '../../src/integrations/dhis2/cube/org-units.ts';
import { indicatorCubeFrom } from '../../src/integrations/dhis2/cube/sql-cube.ts';
import { dataValueSet } from '../../src/integrations/dhis2/formats/data-value-sets.ts';
import { CODE_SCHEMES } from '../../src/integrations/dhis2/formats/id-schemes.ts';
import { indicatorData } from '../../src/integrations/dhis2/indicator-data.service.ts';
import { readImportSummary } from '../../src/integrations/dhis2/push/read-import-summary.ts';
import { poolQueryable } from '../../src/platform/database/queryable.ts';
import { JobService } from '../../src/platform/jobs/job-service.ts';
import { pushDhis2Job } from '../../src/platform/jobs/push-dhis2.job.ts';
import { NO_REVIEW } from '../claims/claim-fixtures.ts';
import { buildTestApp, freePort, testConfig } from '../helpers/test-app.ts';
import { indicatorScheme } from './indicator-scheme.ts';
import { parseAdx } from './read-formats.ts';

// ---- a stub DHIS2: records each request, answers what the test queued (else success) ----

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Answer {
  status: number;
  body: unknown;
  type?: string;
}

const received: Received[] = [];
const answers: Answer[] = [];

/** DHIS2 2.40+: the WebMessage envelope around the ImportSummary. */
const imported = (counts: { imported: number; updated: number }): Answer => ({
  status: 200,
  body: {
    httpStatus: 'OK',
    httpStatusCode: 200,
    status: 'OK',
    message: 'Import was successful.',
    response: {
      responseType: 'ImportSummary',
      status: 'SUCCESS',
      importOptions: {
        idSchemes: {
          dataElementIdScheme: { type: 'CODE' },
          orgUnitIdScheme: { type: 'CODE' },
          idScheme: { type: 'CODE' },
        },
        dryRun: false,
        async: false,
        importStrategy: 'CREATE_AND_UPDATE',
        mergeMode: 'REPLACE',
      },
      description: 'Import process completed successfully',
      importCount: { ...counts, ignored: 0, deleted: 0 },
      conflicts: [],
      rejectedIndexes: [],
      dataSetComplete: 'false',
    },
  },
});

const conflict: Answer = {
  status: 409,
  body: {
    httpStatus: 'Conflict',
    httpStatusCode: 409,
    status: 'WARNING',
    message: 'One more conflicts encountered, please check import summary.',
    response: {
      responseType: 'ImportSummary',
      status: 'WARNING',
      importOptions: { idSchemes: {}, dryRun: false, async: false, importStrategy: 'CREATE_AND_UPDATE' },
      description: 'Import process completed successfully',
      importCount: { imported: 2, updated: 0, ignored: 2, deleted: 0 },
      conflicts: [
        {
          object: 'AGE_GROUP_P0Y_P5Y_SEX_M',
          objects: { categoryOptionCombo: 'AGE_GROUP_P0Y_P5Y_SEX_M' },
          value: 'Category option combo not found or not accessible for writing data',
          errorCode: 'E7613',
          property: 'categoryOptionCombo',
          indexes: [0, 3],
        },
      ],
      rejectedIndexes: [0, 3],
      dataSetComplete: 'false',
    },
  },
};

/** Before the envelope (2.3x): a bare ImportSummary. */
const bareSummary: Answer = {
  status: 200,
  body: {
    responseType: 'ImportSummary',
    status: 'SUCCESS',
    importOptions: { idSchemes: {}, dryRun: false, async: false, importStrategy: 'CREATE_AND_UPDATE' },
    description: 'Import process completed successfully',
    importCount: { imported: 0, updated: 4, ignored: 0, deleted: 0 },
    dataSetComplete: 'false',
  },
};

const serverError: Answer = {
  status: 500,
  body: {
    httpStatus: 'Internal Server Error',
    httpStatusCode: 500,
    status: 'ERROR',
    message: 'Could not open JPA EntityManager for transaction',
  },
};

const stub = fastify();
stub.removeAllContentTypeParsers();
stub.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
stub.all('/*', async (request, reply) => {
  received.push({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: typeof request.body === 'string' ? request.body : '',
  });
  const answer = answers.shift() ?? imported({ imported: 1, updated: 0 });
  return reply
    .code(answer.status)
    .type(answer.type ?? 'application/json')
    .send(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
});
const port = await freePort();
await stub.listen({ host: '127.0.0.1', port });
t.teardown(() => stub.close());
const dhis2 = `http://127.0.0.1:${port}`;

const INSTANCES = [
  {
    name: 'national',
    url: `${dhis2}/dhis/`,
    dataSets: ['ENROLMENT', 'PROCESSED_CLAIM'],
    format: 'json',
    username: 'admin',
    password: 'district',
  },
  {
    name: 'district',
    url: `${dhis2}/hmis`,
    dataSets: ['ENROLMENT'],
    format: 'adx',
    token: 'd2pat_5xVA12xyUbWNedQxy4ohH77WlxRGVvZZ1151814092',
  },
];

const kinga = await buildTestApp(t, { ...NO_REVIEW, DHIS2_INSTANCES: JSON.stringify(INSTANCES) });
const scheme = await indicatorScheme(kinga);
const month = scheme.month.code;
const admin = await kinga.token('system/Measure.u');

const push = (body: object, token = admin) =>
  kinga.app.inject({
    method: 'POST',
    url: '/dhis2/push',
    headers: { authorization: `Bearer ${token}` },
    payload: body,
  });

const runOf = (id: string) => kinga.database.orm.em.fork().findOneOrFail(Dhis2PushRun, id);

/** The engine's ENROLMENT values of the seeded ward, by code. */
async function wardValues() {
  const db = poolQueryable(kinga.database.pool);
  const ward = (await findOrgUnits(db, [scheme.ward.id], 'id')).get(scheme.ward.id)!;
  const cube = indicatorCubeFrom(kinga.config, kinga.database.pool);
  return dataValueSet(await indicatorData(cube, ['ENROLMENT'], [scheme.month], [ward]), CODE_SCHEMES)
    .dataValues;
}

t.beforeEach(() => {
  received.length = 0;
  answers.length = 0;
});

t.test('JSON with basic auth: the request DHIS2 receives, and the run recorded', async (t) => {
  answers.push(imported({ imported: 7, updated: 0 }));
  const res = await push({ instance: 'national', dataSet: 'ENROLMENT', period: month });
  t.equal(res.statusCode, 200, res.body);
  t.equal(received.length, 1);
  const [request] = received;
  const url = new URL(request!.url, dhis2);
  t.equal(request!.method, 'POST');
  t.equal(url.pathname, '/dhis/api/dataValueSets', 'under the instance base path');
  t.same(Object.fromEntries(url.searchParams), {
    dataElementIdScheme: 'code',
    orgUnitIdScheme: 'code',
    idScheme: 'code',
    importStrategy: 'CREATE_AND_UPDATE',
  });
  t.equal(request!.headers.authorization, `Basic ${Buffer.from('admin:district').toString('base64')}`);
  t.match(request!.headers['content-type'], /^application\/json/);
  const body = JSON.parse(request!.body);
  t.equal(body.dataSet, 'ENROLMENT');
  t.equal(body.orgUnitIdScheme, 'CODE');
  t.ok(body.dataValues.every((v: any) => v.period === month));
  const mine = body.dataValues.filter((v: any) => v.orgUnit === scheme.ward.code);
  t.ok(mine.length > 0, 'the seeded ward is pushed (every ward is)');
  t.same(mine, await wardValues(), 'its values are what the engine computes');
  t.notOk(
    body.dataValues.some((v: any) => [scheme.district.code, scheme.region.code].includes(v.orgUnit)),
    'one level only: DHIS2 adds wards up itself',
  );

  const answer = res.json();
  t.match(answer, {
    instance: 'national',
    dataSet: 'ENROLMENT',
    period: month,
    format: 'json',
    status: 'success',
    httpStatus: 200,
    valuesSent: body.dataValues.length,
    importCount: { imported: 7, updated: 0, ignored: 0, deleted: 0 },
    conflicts: [],
    message: 'Import was successful.',
  });
  const run = await runOf(answer.id);
  t.equal(run.status, 'success');
  t.equal(run.url, `${dhis2}/dhis`);
  t.equal(run.actor, 'test-client');
  t.equal(run.imported, 7);
  t.ok(run.finishedAt! >= run.startedAt);

  // Again: the same document, which DHIS2 takes as updates (CREATE_AND_UPDATE).
  answers.push(imported({ imported: 0, updated: 7 }));
  const again = await push({ instance: 'national', dataSet: 'ENROLMENT', period: month });
  t.equal(again.json().status, 'success');
  t.not(again.json().id, answer.id, 'a run of its own');
  t.same(JSON.parse(received[1]!.body), body, 're-pushing sends the same values');
});

t.test('409: the conflicts are recorded with their indexes, not retried', async (t) => {
  answers.push(conflict);
  const res = await push({ instance: 'national', dataSet: 'ENROLMENT', period: month });
  t.equal(res.statusCode, 200);
  t.equal(received.length, 1, 'asked once');
  const run = await runOf(res.json().id);
  t.equal(run.status, 'conflict');
  t.equal(run.httpStatus, 409);
  t.same([run.imported, run.updated, run.ignored, run.deleted], [2, 0, 2, 0]);
  t.same(run.conflicts, [
    {
      object: 'AGE_GROUP_P0Y_P5Y_SEX_M',
      value: 'Category option combo not found or not accessible for writing data',
      errorCode: 'E7613',
      property: 'categoryOptionCombo',
      indexes: [0, 3],
    },
  ]);
  t.equal(run.message, 'One more conflicts encountered, please check import summary.');
});

t.test('ADX with a personal access token; a bare import summary', async (t) => {
  answers.push(bareSummary);
  const res = await push({ instance: 'district', dataSet: 'ENROLMENT', period: month });
  t.equal(res.statusCode, 200, res.body);
  const [request] = received;
  t.equal(new URL(request!.url, dhis2).pathname, '/hmis/api/dataValueSets');
  t.equal(request!.headers.authorization, 'ApiToken d2pat_5xVA12xyUbWNedQxy4ohH77WlxRGVvZZ1151814092');
  t.match(request!.headers['content-type'], /^application\/adx\+xml/);
  const adx = parseAdx(request!.body).adx;
  t.equal(adx.xmlns, 'urn:ihe:qrph:adx:2015');
  const group = adx.group.find((g: any) => g.orgUnit === scheme.ward.code);
  t.equal(group.dataSet, 'ENROLMENT');
  t.equal(group.period, `${scheme.month.start}/P1M`);
  t.equal(group.dataValue.length, (await wardValues()).length, 'the same values as JSON');
  t.match(res.json(), { format: 'adx', status: 'success', importCount: { imported: 0, updated: 4 } });
});

t.test('refused requests: another 4xx is an error; unknown instances and data sets are 400', async (t) => {
  answers.push({
    status: 401,
    body: '<html><body>HTTP Status 401 – Unauthorized</body></html>',
    type: 'text/html',
  });
  const res = await push({ instance: 'national', dataSet: 'ENROLMENT', period: month });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { status: 'error', httpStatus: 401, importCount: null, message: /Unauthorized/ });

  const unknown = await push({ instance: 'elsewhere', dataSet: 'ENROLMENT', period: month });
  t.equal(unknown.statusCode, 400);
  t.equal(unknown.json().title, 'dhis2.instance-unknown');
  const notTaken = await push({ instance: 'district', dataSet: 'PROCESSED_CLAIM', period: month });
  t.equal(notTaken.json().title, 'dhis2.data-set-not-pushed');
  t.equal(
    (await push({ instance: 'national', dataSet: 'ENROLMENT', period: '2026-11' })).json().title,
    'indicator.period-invalid',
  );
  t.equal(
    (
      await push(
        { instance: 'national', dataSet: 'ENROLMENT', period: month },
        await kinga.token('system/Measure.r'),
      )
    ).statusCode,
    403,
  );
  t.equal(received.length, 1, 'nothing sent for a refused request');
});

t.test('no answer: the run is failed and the push answers 502', async (t) => {
  answers.push(serverError);
  const res = await push({ instance: 'national', dataSet: 'ENROLMENT', period: month });
  t.equal(res.statusCode, 502);
  t.match(res.json(), {
    status: 'failed',
    httpStatus: 500,
    message: 'Could not open JPA EntityManager for transaction',
  });
});

t.test('the push-dhis2 job on the pg-boss queue: a 500 is retried, a 409 is not', async (t) => {
  const config = testConfig({
    DHIS2_INSTANCES: JSON.stringify([{ ...INSTANCES[0], dataSets: ['ENROLMENT'] }]),
  });
  const jobs = new JobService({
    url: config.DATABASE_URL!,
    // A queue of its own: no other test's worker takes these runs.
    schema: 'kinga_jobs_push_test',
    timeZone: 'UTC',
    jobs: [pushDhis2Job(config)],
    context: { orm: kinga.database.orm, log: pino({ level: 'silent' }) },
    schedule: false,
  });
  await jobs.start();
  t.teardown(() => jobs.stop());

  async function finished(id: string) {
    for (let i = 0; i < 120; i += 1) {
      const job = await jobs.find('push-dhis2', id);
      if (job && (job.state === 'completed' || job.state === 'failed')) {
        return job;
      }
      await sleep(250);
    }
    throw new Error('push-dhis2 did not finish');
  }

  const since = new Date();
  answers.push(serverError, imported({ imported: 0, updated: 7 }));
  const retried = await finished(
    (await jobs.send(
      'push-dhis2',
      { period: month },
      { retryLimit: 2, retryDelay: 1, retryBackoff: false },
    ))!,
  );
  t.equal(retried.state, 'completed', 'completed on its second try');
  t.equal(received.length, 2, 'pushed twice');
  t.same(JSON.parse(received[1]!.body), JSON.parse(received[0]!.body), 'the same document again');
  const runs = await kinga.database.orm.em
    .fork()
    .find(
      Dhis2PushRun,
      { actor: 'job:push-dhis2', startedAt: { $gte: since } },
      { orderBy: { startedAt: 'asc' } },
    );
  t.same(
    runs.map((r) => [r.instance, r.dataSet, r.period, r.status, r.httpStatus]),
    [
      ['national', 'ENROLMENT', month, 'failed', 500],
      ['national', 'ENROLMENT', month, 'success', 200],
    ],
  );

  received.length = 0;
  answers.push(conflict);
  const conflicted = await finished(
    (await jobs.send('push-dhis2', { period: month }, { retryLimit: 2, retryDelay: 1 }))!,
  );
  t.equal(conflicted.state, 'completed', 'a data conflict does not fail the job');
  t.equal(received.length, 1, 'and is not pushed again');
  t.match(conflicted.output, {
    period: month,
    runs: [{ instance: 'national', dataSet: 'ENROLMENT', status: 'conflict' }],
  });

  // Without a period: last month of `today`.
  received.length = 0;
  const lastMonth = await finished((await jobs.send('push-dhis2', { today: '2026-01-15' }))!);
  t.match(lastMonth.output, { period: '202512' });
  t.equal(
    JSON.parse(received[0]!.body).dataValues.every((v: any) => v.period === '202512'),
    true,
  );
});

t.test('import summaries as DHIS2 versions write them', async (t) => {
  t.match(readImportSummary(imported({ imported: 3, updated: 1 }).body), {
    status: 'SUCCESS',
    imported: 3,
    updated: 1,
  });
  t.match(readImportSummary(conflict.body), {
    status: 'WARNING',
    ignored: 2,
    conflicts: [{ indexes: [0, 3] }],
  });
  t.match(readImportSummary(bareSummary.body), { status: 'SUCCESS', updated: 4 });
  t.match(
    readImportSummary({
      status: 'WARNING',
      dataValueCount: { imported: 1, updated: 0, ignored: 1, deleted: 0 },
      conflicts: [{ object: 'x', value: 'bad' }],
    }),
    { status: 'WARNING', imported: 1, ignored: 1, conflicts: [{ object: 'x', value: 'bad' }] },
    'the XML form’s dataValueCount',
  );
  t.equal(readImportSummary(serverError.body), null, 'an error WebMessage has no summary');
  t.equal(readImportSummary('<html/>'), null);
});
