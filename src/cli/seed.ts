import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openDatabase } from '../app.ts';
import { isIsoDate } from '../domain/shared/dates.ts';
import { loadConfig } from '../platform/config/config.ts';
import { migrateUp } from '../platform/database/orm.ts';
import { AlreadySeededError, seedTrainingData } from '../seed/seed-training-data.ts';
import { withDatabaseUrl } from './database-url.ts';
import { seedProgressBar } from './seed-progress.ts';

const USAGE = `Usage: npm run seed -- [--insurees N] [--seed S] [--today YYYY-MM-DD] [--batch-size B]

Loads the training data set (locations, medical items, services, diagnoses and price lists,
products, health facilities, the insurer, officers, families and insurees with their policies
and premiums) into the database the server uses: DATABASE_URL, or the embedded PostgreSQL. A
database that already holds it is refused. Policies are dated back from --today (the scheme's
today by default); the same --seed and --today draw the same data set.`;

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`--${name} must be a positive integer\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    insurees: { type: 'string' },
    seed: { type: 'string' },
    'batch-size': { type: 'string' },
    today: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const insurees = positiveInteger('insurees', values.insurees, 10_000);
const seed = positiveInteger('seed', values.seed, randomInt(1, 2 ** 31));
const batchSize = positiveInteger('batch-size', values['batch-size'], 1000);
const today = values.today;
if (today !== undefined && !isIsoDate(today)) {
  console.error(`--today must be a date (YYYY-MM-DD)\n\n${USAGE}`);
  process.exit(2);
}

const config = loadConfig();
await withDatabaseUrl(config, async (url) => {
  const database = await openDatabase(config, url);
  const progress = seedProgressBar();
  try {
    await migrateUp(database.orm);
    const started = performance.now();
    console.error(
      `Seeding ${insurees} insurees with seed ${seed}` +
        (today ? ` as of ${today}` : '') +
        ` (--seed ${seed}${today ? ` --today ${today}` : ''} draws the same data again)`,
    );
    const summary = await seedTrainingData(database.orm, config, {
      insurees,
      seed,
      batchSize,
      ...(today ? { today } : {}),
      onProgress: progress.onProgress,
    });
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    const rows =
      summary.locations +
      summary.facilities +
      summary.officers +
      summary.families +
      summary.insurees +
      summary.policies +
      summary.covers +
      summary.premiums;
    console.log(
      `Seeded ${summary.insurees} insurees in ${summary.families} families with ${summary.policies} policies ` +
        `and ${summary.premiums} premiums, ${summary.locations} locations, ${summary.facilities} organisations, ` +
        `${summary.officers} officers, ${summary.products} products, ${summary.items} items, ` +
        `${summary.services} services and ${summary.diagnoses} diagnoses in ${seconds.toFixed(1)} s ` +
        `(${Math.round(rows / seconds)} records/s, ${Math.round(summary.insurees / seconds)} insurees/s)`,
    );
  } catch (error) {
    progress.stop();
    if (!(error instanceof AlreadySeededError)) {
      throw error;
    }
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    await database.orm.close();
  }
});
