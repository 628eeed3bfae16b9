import t from 'tap';
import { joinSql, raw, sql } from './sql.ts';

t.test('values become numbered placeholders, nested fragments keep their order', async (t) => {
  const where = joinSql([sql`a = ${1}`, sql`b like ${'x%'}`, raw('c is null')], ' and ');
  const q = sql`select * from t where ${where} limit ${20}`.toQuery();
  t.equal(q.text, 'select * from t where a = $1 and b like $2 and c is null limit $3');
  t.same(q.values, [1, 'x%', 20]);
});

t.test('an empty join renders nothing', async (t) => {
  t.equal(sql`x${joinSql([], ' or ')}y`.toQuery().text, 'xy');
});
