import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openDatabase } from '../app.ts';
import { loadConfig } from '../platform/config/config.ts';
import { migrateUp } from '../platform/database/orm.ts';
import { AlreadySeededError, seedTrainingData } from '../seed/seed-training-data.ts';
import { withDatabaseUrl } from './database-url.ts';
import { seedProgressBar } from './seed-progress.ts';

const USAGE = `Usage: npm run seed -- [--insurees N] [--seed S] [--batch-size B]

Loads the training data set (locations, health facilities, the insurer, families and insurees)
into the database the server uses: DATABASE_URL, or the embedded PostgreSQL. A database that
already holds it is refused. The same --seed draws the same data set.`;

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

const config = loadConfig();
await withDatabaseUrl(config, async (url) => {
  const database = await openDatabase(config, url);
  const progress = seedProgressBar();
  try {
    await migrateUp(database.orm);
    const started = performance.now();
    console.error(
      `Seeding ${insurees} insurees with seed ${seed} (--seed ${seed} draws the same data again)`,
    );
    const summary = await seedTrainingData(database.orm, config, {
      insurees,
      seed,
      batchSize,
      onProgress: progress.onProgress,
    });
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    const rows = summary.locations + summary.facilities + summary.families + summary.insurees;
    console.log(
      `Seeded ${summary.insurees} insurees in ${summary.families} families, ${summary.locations} locations ` +
        `and ${summary.facilities} organisations in ${seconds.toFixed(1)} s ` +
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
