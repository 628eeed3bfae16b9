/**
 * `npm test`: creates a database for this run (on DATABASE_URL's server when set, otherwise on an
 * embedded PostgreSQL started for the run), migrates it once, runs tap, then drops it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/platform/database/embedded-postgres.ts';
import { openOrm } from '../src/platform/database/orm.ts';
import { freePort } from './helpers/free-port.ts';
import { prepareTestDatabase } from './helpers/test-database.ts';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * tap bakes its plugin list into node_modules at install time, with its TypeScript loader (which
 * TypeScript 7 cannot run; Node 24 strips types itself). Rebuild once when that loader is in.
 */
async function ensureTapBuiltWithoutTsLoader(): Promise<void> {
  const built = await readFile(path.resolve('node_modules/@tapjs/test/test-built/dist/esm/index.js'), 'utf8');
  const signature = /export const signature = `([^`]*)`/.exec(built)?.[1] ?? '';
  if (!signature.includes('@tapjs/typescript')) {
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const build = spawn(process.execPath, [path.resolve('node_modules/tap/dist/esm/run.mjs'), 'build'], {
      stdio: 'inherit',
    });
    build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tap build failed (${code})`))));
  });
}

await ensureTapBuiltWithoutTsLoader();

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;
let serverUrl = process.env['DATABASE_URL'];
if (!serverUrl) {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kinga-test-pg-'));
  embedded = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'data'),
    port: await freePort(),
    persistent: false,
  });
  serverUrl = embedded.url;
}

const name = `kinga_test_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database ${name} template template0 encoding 'UTF8'`);
const testUrl = withDatabase(serverUrl, name);

let exitCode: number;
try {
  const orm = await openOrm({ url: testUrl, poolSize: 2 });
  await prepareTestDatabase(orm);
  await orm.close();
  exitCode = await new Promise<number>((resolve) => {
    const tap = spawn(
      process.execPath,
      [path.resolve('node_modules/tap/dist/esm/run.mjs'), ...process.argv.slice(2)],
      {
        stdio: 'inherit',
        env: { ...process.env, KINGA_TEST_DATABASE_URL: testUrl, KINGA_TEST_SERVER_URL: serverUrl },
      },
    );
    tap.on('exit', (code) => resolve(code ?? 1));
  });
} finally {
  await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
  await admin.end();
  await embedded?.stop();
  if (dataDir) {
    await rm(dataDir, { recursive: true, force: true });
  }
}
process.exit(exitCode);
