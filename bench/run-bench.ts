/**
 * npm run bench: seeds (or reuses) the bench database, starts Kinga and the raw ceiling server as
 * child processes, runs autocannon against both, and prints and saves how close Kinga comes.
 */
import autocannon from 'autocannon';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseTransport } from '../src/platform/database/database-url.ts';
import pg from 'pg';
import { insuranceNumberRules } from '../src/fhir/patient/patient.module.ts';
import { loadConfig, type Config } from '../src/platform/config/config.ts';
import { indicatorCubeFrom } from '../src/integrations/dhis2/cube/sql-cube.ts';
import { refreshIndicatorCells } from '../src/platform/jobs/refresh-indicator-cells.job.ts';
import { todayIn } from '../src/platform/jobs/scheme-today.ts';
import { loadBenchData, type BenchData } from './bench-data.ts';
import { prepareBenchDatabase } from './bench-database.ts';
import { claimOutcomes, prepareClaimData } from './claim-data.ts';
import { prepareEligibilityData } from './eligibility-data.ts';
import { ChildServer, freePort } from './child-server.ts';
import { attachPaymentData, MPESA_SECRET, preparePaymentData } from './payment-data.ts';
import { printReport, saveReport, type BenchReport, type Measurement } from './report.ts';
import { scenarios, type Scenario } from './scenarios.ts';

/** Fixed, so tokens are signed the same on every run; a bench key, never a deployment's. */
const SIGNING_KEY = JSON.stringify({
  kty: 'EC',
  crv: 'P-256',
  x: 's6-jYNNiq_NgB9oKCeVj12nlHNG9ew-7tk4lBPoieiY',
  y: 'x09gpbgl1PIVsTqa6j_j8dVt1HA8_mo_vln0hmoi6nA',
  d: '4SMdAhXgQvRR_omQiYNzLN4R2Qm6BnJOcEegfVpTg5k',
  alg: 'ES256',
});
const CLIENT = { id: 'kinga-bench', secret: 'kinga-bench-secret-not-for-deployments' };

const { values } = parseArgs({
  options: {
    insurees: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '3' },
    'cpu-prof': { type: 'boolean', default: false },
    worker: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const options = {
  insurees: Number(values.insurees),
  duration: Number(values.duration),
  connections: Number(values.connections),
  warmup: Number(values.warmup),
  cpuProf: values['cpu-prof'],
  /** The jobs (payment allocation) in `npm run worker`'s process beside a server with JOBS_IN_SERVER=false. */
  worker: values.worker,
  /** Scenario names to run (comma-separated words they contain), e.g. for profiling one of them. */
  only: values.only?.split(',').map((word) => word.trim().toLowerCase()),
};
const selected = scenarios.filter(
  (s) => !options.only || options.only.some((w) => s.name.toLowerCase().includes(w)),
);
const startedAt = new Date().toISOString();
const serverUrl = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432';
const config = loadConfig();

async function accessToken(kinga: ChildServer): Promise<string> {
  const response = await fetch(`${kinga.url}/auth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.cruds' }),
  });
  if (!response.ok) {
    throw new Error(`POST /auth/token answered ${response.status}: ${await response.text()}`);
  }
  return ((await response.json()) as { access_token: string }).access_token;
}

async function measure(
  scenario: Scenario,
  server: ChildServer,
  data: BenchData,
  token: string | undefined,
): Promise<Measurement> {
  const run = async (duration: number) => {
    const request = scenario.request(data);
    if (token) {
      request.headers = { ...request.headers, authorization: `Bearer ${token}` };
    }
    return autocannon({
      url: server.url,
      connections: scenario.connections ?? options.connections,
      duration,
      requests: [request],
      ...(scenario.timeoutSeconds ? { timeout: scenario.timeoutSeconds } : {}),
    });
  };
  const warmup = scenario.warmupSeconds ?? options.warmup;
  if (warmup > 0) {
    await run(warmup);
  }
  const result = await run(Math.max(options.duration, scenario.minDurationSeconds ?? 0));
  // Requests that take seconds complete a few per second: the mean of per-second counts would
  // round them away, the count over the elapsed time does not.
  const requestsPerSecond = scenario.minDurationSeconds
    ? result.requests.total / result.duration
    : result.requests.average;
  const measurement: Measurement = {
    name: scenario.name,
    requestsPerSecond,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  if (scenario.claims && data.claims) {
    measurement.claimsPerSecond = requestsPerSecond * scenario.claims.perRequest;
    const outcomes = await claimOutcomes(url, data.claims.codePrefixes[scenario.claims.codes]);
    measurement.note =
      `${scenario.connections ?? options.connections} connections, ${Math.round(result.duration)} s ` +
      `measured; committed (warm-up included): ${outcomes}`;
  }
  await scenario.afterwards?.(data, url, measurement);
  return measurement;
}

function compare(measurements: Measurement[]): void {
  for (const scenario of scenarios) {
    const measured = measurements.find((m) => m.name === scenario.name);
    const ceiling = measurements.find((m) => m.name === scenario.ceiling);
    if (!measured || !ceiling) {
      continue;
    }
    // A claim Bundle writes many claims where the ceiling inserts one row: claims/s against rows/s.
    measured.ratio =
      (measured.requestsPerSecond * (scenario.claims?.perRequest ?? 1)) / ceiling.requestsPerSecond;
    if (!scenario.target) {
      continue;
    }
    measured.target = scenario.target;
    const rate = measured.requestsPerSecond * (scenario.claims?.perRequest ?? 1);
    measured.met =
      (scenario.target.ratio === undefined || measured.ratio >= scenario.target.ratio) &&
      (scenario.target.rate === undefined || rate >= scenario.target.rate) &&
      (scenario.target.p99 === undefined || measured.p99Ms <= scenario.target.p99) &&
      measured.non2xx === 0 &&
      measured.errors === 0;
  }
}

async function prepareIndicatorCells(url: string, config: Config): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  try {
    const started = performance.now();
    const { refreshed, forgotten } = await refreshIndicatorCells(
      indicatorCubeFrom(config, pool),
      todayIn(config.SCHEME_TIME_ZONE),
    );
    return `${refreshed.join(' and ')} up to date in ${((performance.now() - started) / 1000).toFixed(1)} s, ${forgotten} marks of other months dropped`;
  } finally {
    await pool.end();
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ version: string }>(
    `select split_part(version(), ' on ', 1) as version`,
  );
  await client.end();
  return rows[0]!.version;
}

const url = await prepareBenchDatabase(serverUrl, options.insurees);
const data = await loadBenchData(url, insuranceNumberRules(config), config.INSURANCE_NUMBER_SYSTEM);
if (selected.some((s) => s.name.startsWith('eligibility'))) {
  const eligibility = await prepareEligibilityData(url, config, data.patientIds);
  data.eligibilityBodies = eligibility.bodies;
  data.eligibilityFacilityBodies = eligibility.facilityBodies;
  console.error(`eligibility: ${eligibility.note}`);
}
if (selected.some((s) => s.claims)) {
  data.claims = await prepareClaimData(url, config);
  console.error(`claims: ${data.claims.note}`);
}
// The servers' refresh job (INDICATOR_CELLS_CRON) keeps this month's and last month's indicator
// cells; a scheme's are built once a month. Built here, before any measurement, a build does not
// land in one; what the job then does during a run (take in the writes since its last run) does.
console.error(`indicator cells: ${await prepareIndicatorCells(url, config)}`);
if (selected.some((s) => s.name.startsWith('mpesa'))) {
  const payments = await preparePaymentData(url, config);
  attachPaymentData(data, payments);
  console.error(`payments: ${payments.note}`);
}
const root = path.resolve(import.meta.dirname, '..');
const servers: ChildServer[] = [];
try {
  // LOG_LEVEL=warn: a log line per request would measure the logger.
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: url,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    SIGNING_KEY,
    KINGA_BOOTSTRAP_CLIENT_ID: CLIENT.id,
    KINGA_BOOTSTRAP_CLIENT_SECRET: CLIENT.secret,
    // Claim review as a scheme would set it, pinned to the defaults whatever .env says: 5 % sampled
    // (drawn from the claim id), services accepted fewer than 10 times, a 4th visit in 30 days,
    // no amount rule. Selected or approved, a claim costs the same: every rule's read runs.
    CLAIM_REVIEW_SAMPLE_PERCENT: '5',
    CLAIM_REVIEW_AMOUNT_ABOVE: '',
    CLAIM_REVIEW_RARE_SERVICE_LINES: '10',
    CLAIM_REVIEW_VISITS_PER_30_DAYS: '4',
    // The M-Pesa endpoints exist only with their path secret; callbacks trusted as authenticated.
    MPESA_CALLBACK_SECRET: MPESA_SECRET,
    MPESA_ALLOWED_IPS: '',
    PAYMENT_VERIFY_UNSIGNED: 'false',
    JOBS_IN_SERVER: String(!options.worker),
  };
  const nodeArgs = options.cpuProf
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(root, 'bench/results/profiles')}`]
    : [];
  const kinga = await ChildServer.start('kinga', path.join(root, 'src/server.ts'), {
    port: await freePort(),
    readyPath: '/health/ready',
    nodeArgs,
    env,
  });
  servers.push(kinga);
  if (options.worker) {
    // Started after the server, which migrates; it logs at info only to say it is up (and a line per job run).
    servers.push(
      await ChildServer.startWorker('worker', path.join(root, 'src/worker.ts'), {
        env: { ...env, LOG_LEVEL: 'info' },
        readyLine: 'worker started',
        nodeArgs,
      }),
    );
  }
  const ceiling = await ChildServer.start('ceiling', path.join(root, 'bench/ceiling-server.ts'), {
    port: await freePort(),
    readyPath: '/ready',
    env: { DATABASE_URL: url },
  });
  servers.push(ceiling);

  const measurements: Measurement[] = [];
  for (const scenario of selected) {
    const server = scenario.server === 'kinga' ? kinga : ceiling;
    const token = scenario.server === 'kinga' ? await accessToken(kinga) : undefined;
    console.error(
      `${scenario.name}: ${scenario.warmupSeconds ?? options.warmup} s warm-up, ` +
        `${Math.max(options.duration, scenario.minDurationSeconds ?? 0)} s measured`,
    );
    measurements.push(await measure(scenario, server, data, token));
  }
  compare(measurements);
  const report: BenchReport = {
    startedAt,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    options,
    machine: {
      cpus: cpus().length,
      node: process.version,
      postgres: `${await postgresVersion(url)}, reached over ${databaseTransport(url)}`,
    },
    insurees: options.insurees,
    kingaPeakRssMiB: await kinga.peakRssMiB(),
    measurements,
  };
  printReport(report);
  for (const m of measurements.filter((m) => m.note && m.claimsPerSecond === undefined)) {
    console.log(`${m.name}: ${m.note}`);
  }
  console.log(`Saved ${await saveReport(report)}`);
} finally {
  for (const server of servers) {
    await server.stop();
  }
}
