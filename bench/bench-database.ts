import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { ormClientUrl } from '../src/platform/database/database-url.ts';

/**
 * One bench database per size (`kinga_bench_10000`, `kinga_bench_1000000`): both stay seeded, so a
 * run at either size, and the comparison between them, does not wait for a seed again.
 */
export function benchDatabaseName(insurees: number): string {
  return `kinga_bench_${insurees}`;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(ormClientUrl(serverUrl));
  url.pathname = `/${database}`;
  return url.toString();
}

async function insureeCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `select case when to_regclass('insuree') is null then 0
                   else (select count(*)::int from insuree where deleted_at is null) end as n`,
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

async function seed(url: string, insurees: number): Promise<void> {
  const script = path.resolve(import.meta.dirname, '../src/cli/seed.ts');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--insurees', String(insurees), '--seed', '1'], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
      stdio: 'inherit',
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding failed (${code})`))));
  });
}

/**
 * The bench database of this size on the server of `serverUrl`: reused when it holds at least
 * `insurees` insurees, otherwise created afresh and seeded (npm run seed refuses to seed twice).
 */
export async function prepareBenchDatabase(serverUrl: string, insurees: number): Promise<string> {
  const database = benchDatabaseName(insurees);
  const url = withDatabase(serverUrl, database);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query(`select 1 from pg_database where datname = $1`, [database]);
    if (rows.length > 0) {
      const held = await insureeCount(url);
      if (held >= insurees) {
        console.error(`Reusing ${database}: ${held} insurees`);
        return url;
      }
      console.error(`${database} holds ${held} insurees, fewer than ${insurees}: seeding it afresh`);
      await admin.query(`drop database ${database} with (force)`);
    }
    await admin.query(`create database ${database} template template0 encoding 'UTF8'`);
  } finally {
    await admin.end();
  }
  await seed(url, insurees);
  return url;
}
