import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { openDatabase } from './app.ts';
import { ConfigError, loadConfig } from './platform/config/config.ts';
import { startSchemeJobs } from './platform/jobs/scheme-jobs.ts';

/**
 * The job worker: the scheduled jobs (payment allocation, webhook delivery, DHIS2 push, policy
 * sweeps) in a process of its own, beside servers started with JOBS_IN_SERVER=false. Several
 * workers may run: pg-boss hands each job to one. It works on the schema the server migrated.
 */
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
if (!config.DATABASE_URL) {
  console.error('The worker needs DATABASE_URL: the database the server uses');
  process.exit(1);
}
const log = pino({ level: config.LOG_LEVEL });
// As the server opens it: with the FHIR projection in every flush, so that what the jobs change
// (a payment allocated, a policy expired) is published as the API serves it.
const database = await openDatabase(config, config.DATABASE_URL);
const jobs = await startSchemeJobs(config, config.DATABASE_URL, database.orm, log);
log.info('worker started');

closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
  if (err) {
    log.error({ err }, 'worker stopping after an error');
  } else {
    log.info({ signal }, 'worker stopping');
  }
  await jobs.stop(25_000);
  await database.orm.close();
});
