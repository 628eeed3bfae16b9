import closeWithGrace from 'close-with-grace';
import { buildApp, openDatabase } from './app.ts';
import { ConfigError, loadConfig, type Config } from './platform/config/config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './platform/database/embedded-postgres.ts';
import { databaseTransport } from './platform/database/database-url.ts';
import { migrateUp } from './platform/database/orm.ts';
import { startSchemeJobs } from './platform/jobs/scheme-jobs.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
let embedded: EmbeddedDatabase | undefined;
let url = config.DATABASE_URL;
if (!url) {
  console.log(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${config.EMBEDDED_PG_DIR}`);
  embedded = await startEmbeddedPostgres({
    dataDir: config.EMBEDDED_PG_DIR,
    port: config.EMBEDDED_PG_PORT,
    persistent: true,
  });
  url = embedded.url;
}
const database = await openDatabase(config, url);
const applied = await migrateUp(database.orm);
const app = await buildApp(config, database);
app.log.info({ database: databaseTransport(url) }, 'database opened');
if (applied.length > 0) {
  app.log.info({ migrations: applied }, 'migrations applied');
}
// After the migrations: the jobs work on the migrated schema.
// JOBS_IN_SERVER=false: a worker process (npm run worker) runs them; this one only wakes them.
const jobs = await startSchemeJobs(config, url, database.orm, app.log, { work: config.JOBS_IN_SERVER });
// Each stored callback wakes allocation; at most one wake-up per quarter second is sent.
let waking = false;
app.kinga.payments.wake = () => {
  if (waking) {
    return;
  }
  waking = true;
  setTimeout(() => {
    waking = false;
    jobs
      .send('allocate-payments')
      .catch((err: unknown) => app.log.warn({ err }, 'could not wake payment allocation'));
  }, 250).unref();
};

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) {
    app.log.error({ err }, 'shutting down after an error');
  } else {
    app.log.info({ signal }, 'shutting down');
  }
  await app.close();
  await jobs.stop(5_000);
  await database.orm.close();
  await embedded?.stop();
});

await app.listen({ host: config.HOST, port: config.PORT });
