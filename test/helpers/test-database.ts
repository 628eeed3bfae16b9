import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'tap';
import type { MikroORM } from '@mikro-orm/postgresql';
import { migrateUp, openOrm } from '../../src/platform/database/orm.ts';

/** The day the indicator cells' window is counted from in tests (their data is of 2026). */
export const TEST_INDICATOR_TODAY = '2026-11-24';

/** Migrates a test database and fixes its indicator clock (migration IndicatorCells). */
export async function prepareTestDatabase(orm: MikroORM): Promise<void> {
  await migrateUp(orm);
  await orm.em
    .getConnection()
    .execute(`insert into indicator_clock (today) values ('${TEST_INDICATOR_TODAY}')`);
}

/**
 * A database of its own for a test file whose assertions other files' writes would disturb
 * (exact counts; which cells a write makes stale), dropped at the end. `migrated: false` leaves
 * it empty, for a test that migrates it itself.
 */
export async function freshDatabase(
  t: Test,
  prefix: string,
  { migrated = true }: { migrated?: boolean } = {},
): Promise<string> {
  const server = process.env['KINGA_TEST_SERVER_URL'];
  if (!server) {
    throw new Error('Run the tests with `npm test` (KINGA_TEST_SERVER_URL)');
  }
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name} template template0 encoding 'UTF8'`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  if (migrated) {
    const orm = await openOrm({ url: url.toString(), poolSize: 1 });
    await prepareTestDatabase(orm);
    await orm.close();
  }
  t.teardown(async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return url.toString();
}
