import { Writable } from 'node:stream';
import t from 'tap';
import { buildTestApp, unique } from '../helpers/test-app.ts';

// FHIR security.html: logs are as sensitive as the data. Nothing identifying may reach them.
const lines: string[] = [];
const stream = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  },
});
const kinga = await buildTestApp(t, { LOG_LEVEL: 'trace' }, { logStream: stream });

t.test('requests with names, numbers, phones and tokens leave none of them in the logs', async (t) => {
  const number = unique('LOG');
  const family = unique('Secretname');
  const phone = '+255-700-123-987';
  const created = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: {
      resourceType: 'Patient',
      identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
      name: [{ family, given: ['Hidden'] }],
      telecom: [{ system: 'phone', value: phone }],
    },
  });
  t.equal(created.status, 201);
  t.equal(
    (await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient?identifier=${number}&family=${family}` }))
      .status,
    200,
  );
  t.equal(
    (await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient?phone=${encodeURIComponent(phone)}` })).status,
    200,
  );
  t.equal(
    (
      await kinga.fhir({
        method: 'POST',
        url: '/fhir/R4/Patient',
        body: {
          resourceType: 'Patient',
          identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
          name: [{ family, given: ['Again'] }],
        },
      })
    ).status,
    409,
  );
  const token = await kinga.token();
  const log = lines.join('');
  t.ok(lines.length >= 4, 'requests were logged');
  t.match(log, /request completed/);
  for (const secret of [number, family, phone, token, 'Hidden']) {
    t.notOk(log.includes(secret), `the logs do not contain ${secret.slice(0, 12)}…`);
  }
});
