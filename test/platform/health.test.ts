import t from 'tap';
import { buildTestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

t.test('liveness and readiness answer without a token', async (t) => {
  const live = await kinga.app.inject({ method: 'GET', url: '/health/live' });
  t.equal(live.statusCode, 200);
  t.same(JSON.parse(live.body), { status: 'ok' });
  const ready = await kinga.app.inject({ method: 'GET', url: '/health/ready' });
  t.equal(ready.statusCode, 200);
  t.same(JSON.parse(ready.body), { status: 'ok' });
});

t.test('readiness reports 503 when the database does not answer', async (t) => {
  const other = await buildTestApp(t);
  await other.database.orm.close(true);
  const ready = await other.app.inject({ method: 'GET', url: '/health/ready' });
  t.equal(ready.statusCode, 503);
  t.same(JSON.parse(ready.body), { status: 'unavailable' });
});
