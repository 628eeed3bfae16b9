import t from 'tap';
import { buildTestApp, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t, { RATE_LIMIT_PER_MINUTE: '3' });

t.test('beyond the per-client rate limit FHIR answers 429 with Retry-After', async (t) => {
  const statuses: number[] = [];
  const responses = [];
  for (let i = 0; i < 5; i++) {
    const res = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Patient?_summary=count' });
    statuses.push(res.status);
    responses.push(res);
  }
  t.same(statuses, [200, 200, 200, 429, 429]);
  const last = responses[4]!;
  t.ok(last.headers['retry-after']);
  t.equal(validFhir(t, last).issue[0].code, 'throttled');
});

t.test('the limit counts per client, not per address', async (t) => {
  const other = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/Patient?_summary=count',
    headers: { authorization: `Bearer ${await kinga.token('system/*.cruds', 'another-client')}` },
  });
  t.equal(other.status, 200);
});
