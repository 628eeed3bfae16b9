import pg from 'pg';
import t from 'tap';
import { openOrm } from '../../src/platform/database/orm.ts';
import { freshDatabase } from '../helpers/test-database.ts';

// Migration SupersededVersionsOnly moves every current version out of fhir_resource_version, with
// who wrote it, into fhir_resource; its down puts them back. Run on rows written the old way.
const BEFORE = 'Migration20261124215512_PassedServiceIndex';
const url = await freshDatabase(t, 'versions', { migrated: false });
const orm = await openOrm({ url, poolSize: 1 });
const db = new pg.Client({ connectionString: url });
t.teardown(async () => {
  await db.end();
  await orm.close();
});
await orm.migrator.up({ to: BEFORE });
await db.connect();

const A = '0190c0de-0000-7000-8000-00000000000a';
const B = '0190c0de-0000-7000-8000-00000000000b';
// A: two versions, the second current; B: one version, written by no one (a seed).
await db.query(`
  insert into fhir_resource (resource_type, id, version_id, last_updated, deleted, content) values
    ('Patient', '${A}', 2, '2026-01-02', false, '{"v":2}'),
    ('Patient', '${B}', 1, '2026-01-01', false, '{"v":1}');
  insert into fhir_resource_version (resource_type, id, version_id, last_updated, deleted, content, actor, request_id) values
    ('Patient', '${A}', 1, '2026-01-01', false, '{"v":1}', 'emr', 'r1'),
    ('Patient', '${A}', 2, '2026-01-02', false, '{"v":2}', 'clerk', 'r2'),
    ('Patient', '${B}', 1, '2026-01-01', false, '{"v":1}', null, null);`);

const rows = async (table: string) =>
  (
    await db.query<{ row: string }>(
      `select concat_ws(' ', id::text, version_id, content, coalesce(actor, '-'), coalesce(request_id, '-')) as row
         from ${table} order by id, version_id`,
    )
  ).rows.map((r) => r.row);

t.test(
  'up: the current version keeps its writer in fhir_resource, and only replaced ones stay behind',
  async (t) => {
    await orm.migrator.up();
    t.same(await rows('fhir_resource'), [`${A} 2 {"v":2} clerk r2`, `${B} 1 {"v":1} - -`]);
    t.same(await rows('fhir_resource_version'), [`${A} 1 {"v":1} emr r1`]);
  },
);

t.test('down: every version is in fhir_resource_version again', async (t) => {
  await orm.migrator.down();
  const { rows: columns } = await db.query(
    `select column_name from information_schema.columns where table_name = 'fhir_resource' and column_name in ('actor', 'request_id')`,
  );
  t.same(columns, [], 'fhir_resource has no writer columns');
  t.same(await rows('fhir_resource_version'), [
    `${A} 1 {"v":1} emr r1`,
    `${A} 2 {"v":2} clerk r2`,
    `${B} 1 {"v":1} - -`,
  ]);
});
