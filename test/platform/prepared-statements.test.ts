import t from 'tap';
import { emQueryable } from '../../src/platform/database/queryable.ts';
import { raw, sql } from '../../src/platform/database/sql.ts';
import { inTransaction } from '../../src/platform/database/unit-of-work.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

t.test('a prepared statement is parsed once per connection and then only bound', async (t) => {
  // The marker is in the text (a value would be a placeholder there), so the test finds its statement.
  const marker = `prepared_${process.pid}_${Date.now()}`;
  const statement = (n: number) =>
    sql`select ${n}::int + 1 as next, ${raw(`'${marker}'`)}::text as marker`.prepared();
  await inTransaction(kinga.database.orm.em.fork(), { actor: 'test' }, async (em) => {
    const db = emQueryable(em);
    t.same(await db.query(statement(1)), [{ next: 2, marker }]);
    t.same(await db.query(statement(41)), [{ next: 42, marker }], 'the same statement, new values');
    const held = await db.query<{ name: string; calls: string }>(
      sql`select name, generic_plans + custom_plans as calls from pg_prepared_statements
           where statement like ${`%${marker}%`}`,
    );
    t.equal(held.length, 1, 'one prepared statement on the connection');
    t.match(held[0]!.name, /^kinga_/);
    t.equal(Number(held[0]!.calls), 2, 'run twice under one name');
    const unprepared = sql`select ${raw(`'${marker}'`)}::text || ${'x'} as marker`;
    await db.query(unprepared);
    const after = await db.query(
      sql`select 1 from pg_prepared_statements where statement like ${`%${marker}%`}`,
    );
    t.equal(after.length, 1, 'an unprepared statement leaves nothing behind');
  });
});
