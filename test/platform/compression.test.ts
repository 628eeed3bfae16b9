import t from 'tap';
import { emQueryable } from '../../src/platform/database/queryable.ts';
import { sql } from '../../src/platform/database/sql.ts';
import { buildTestApp } from '../helpers/test-app.ts';

// Migration20261124190000_Lz4Compression: LZ4 where the server has it, pglz (the default) where not.
const kinga = await buildTestApp(t);
const db = emQueryable(kinga.database.orm.em.fork());
const [{ lz4 }] = (await db.query<{ lz4: boolean }>(
  sql`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
)) as [{ lz4: boolean }];

t.test('every text and JSON column of the schema compresses with LZ4 when the server has it', async (t) => {
  const columns = await db.query<{ name: string; compression: string }>(
    sql`select a.attrelid::regclass || '.' || a.attname as name, a.attcompression::text as compression
          from pg_attribute a
          join pg_class c on c.oid = a.attrelid and c.relkind = 'r'
          join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
         where a.atttypid in ('text'::regtype, 'json'::regtype, 'jsonb'::regtype)
           and a.attnum > 0 and not a.attisdropped`,
  );
  t.ok(
    columns.some((c) => c.name === 'fhir_resource.content'),
    'the published resources are among them',
  );
  t.ok(
    columns.some((c) => c.name === 'eligibility_enquiry.assessment'),
    'and the enquiries’ assessments',
  );
  const expected = lz4 ? 'l' : '';
  t.same(
    columns.filter((c) => c.compression !== expected).map((c) => c.name),
    [],
    lz4 ? 'all set to lz4' : 'the server has no LZ4: all left at the default',
  );
});

t.test('a large value written now is stored compressed with that method', async (t) => {
  const content = JSON.stringify({ resourceType: 'Basic', text: 'x'.repeat(10_000) });
  // On a client of its own, rolled back: the shared store never shows the row to other test files.
  const client = await kinga.database.pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into fhir_resource (resource_type, id, version_id, last_updated, deleted, content)
       values ('CompressionTest', gen_random_uuid(), 1, now(), false, $1)`,
      [content],
    );
    const stored = await client.query<{ method: string | null }>(
      `select pg_column_compression(content) as method from fhir_resource where resource_type = 'CompressionTest'`,
    );
    t.equal(stored.rows[0]?.method, lz4 ? 'lz4' : 'pglz');
  } finally {
    await client.query('rollback');
    client.release();
  }
});
