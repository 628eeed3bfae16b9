import { randomUUID } from 'node:crypto';
import t from 'tap';
import { writeStoredResources, type StoredResourceRow } from '../../src/fhir/store/projection.ts';
import { poolQueryable } from '../../src/platform/database/queryable.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const db = poolQueryable(kinga.database.pool);

function row(content: string | null): StoredResourceRow {
  return {
    resource_type: 'StoreTest',
    id: randomUUID(),
    version_id: 1,
    last_updated: new Date(),
    deleted: content === null,
    content,
  };
}

async function stored(ids: string[]): Promise<(string | null)[]> {
  const { rows } = await kinga.database.pool.query<{ id: string; content: string | null }>(
    `select id::text, content from fhir_resource where resource_type = 'StoreTest' and id = any($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r.content]));
  return ids.map((id) => (byId.has(id) ? byId.get(id)! : 'missing'));
}

// Contents travel joined by U+001F (projection.ts), which JSON text holds only escaped.
t.test('the rows of one statement each keep their own content, whatever it holds', async (t) => {
  const contents = [
    JSON.stringify({ resourceType: 'StoreTest', text: 'unit\u001fseparator' }),
    null,
    JSON.stringify({ resourceType: 'StoreTest', text: 'é, 𝄞, "quotes", \\ and a new\nline' }),
    JSON.stringify({ resourceType: 'StoreTest', text: '' }),
  ];
  const rows = contents.map(row);
  await writeStoredResources(db, rows, 'store-test', 'req-1');
  t.same(await stored(rows.map((r) => r.id)), contents);
});

t.test('a content that is not JSON text (a raw U+001F) is refused, and nothing is written', async (t) => {
  const rows = [row('{"resourceType":"StoreTest"}'), row('{"text":"raw\u001fseparator"}')];
  await t.rejects(writeStoredResources(db, rows, 'store-test', 'req-2'), /holds U\+001F/);
  t.same(await stored(rows.map((r) => r.id)), ['missing', 'missing']);
});
