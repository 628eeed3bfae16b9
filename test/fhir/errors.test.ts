import t from 'tap';
import { buildTestApp, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

async function post(body: string, contentType = 'application/fhir+json') {
  return kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body,
    headers: { 'content-type': contentType },
  });
}

t.test('malformed JSON is a 400 OperationOutcome', async (t) => {
  const res = await post('{"resourceType": "Patient",');
  t.equal(res.status, 400);
  t.equal(validFhir(t, res).issue[0].code, 'invalid');
});

t.test('a NUL character in a string is a 400 naming the element, and nothing is stored', async (t) => {
  // PostgreSQL's text cannot hold U+0000: the write used to fail with a 500.
  const number = `NUL${Date.now()}`;
  const res = await post(
    JSON.stringify({
      resourceType: 'Patient',
      identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
      name: [{ family: 'Nul\u0000Name', given: ['X'] }],
    }),
  );
  t.equal(res.status, 400);
  const issue = validFhir(t, res).issue[0];
  t.equal(issue.code, 'invalid');
  t.same(issue.expression, ['Patient.name[0].family']);
  const search = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient?identifier=${number}&_summary=count`,
  });
  t.equal(search.body.total, 0, 'nothing stored');
  // A backslash, escaped, before "u0000": the text holds \\u0000 (so the body is walked), no NUL.
  const literal = 'back\\u0000slash';
  const escaped = await post(
    JSON.stringify({
      resourceType: 'Patient',
      identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: `${number}B` }],
      name: [{ family: literal, given: ['X'] }],
    }),
  );
  t.equal(escaped.status, 201, 'an escaped backslash before u0000 is no NUL: stored');
  t.equal(validFhir(t, escaped).name[0].family, literal, 'as sent');
});

// datatypes.html#string: no character below U+0020 but tab, line feed and carriage return. Kinga
// stored and served them, which made the resource it answered invalid FHIR.
t.test(
  'a control character FHIR strings forbid is a 400 naming the element, and nothing is stored',
  async (t) => {
    const number = `CTL${Date.now()}`;
    const cases = [
      { family: 'Unit\u001fSeparator', code: 'U+001F' },
      { family: 'Bell\u0007', code: 'U+0007' },
      // Sent as JSON's short escapes \b and \f.
      { family: 'Back\bspace', code: 'U+0008' },
      { family: 'Form\ffeed', code: 'U+000C' },
    ];
    for (const [i, { family, code }] of cases.entries()) {
      const res = await post(
        JSON.stringify({
          resourceType: 'Patient',
          identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: `${number}-${i}` }],
          name: [{ family, given: ['X'] }],
        }),
      );
      t.equal(res.status, 400, code);
      const issue = validFhir(t, res).issue[0];
      t.same(issue.expression, ['Patient.name[0].family'], code);
      t.equal(issue.details.coding[0].code, 'fhir.control-character', code);
      t.match(issue.diagnostics, code);
    }
    // In a Bundle, the element is named from the Bundle.
    const bundle = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4',
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: {
              resourceType: 'Patient',
              identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: `${number}-b` }],
              name: [{ family: 'Plain', given: ['Record\u001eSeparator'] }],
            },
            request: { method: 'POST', url: 'Patient' },
          },
        ],
      },
    });
    t.equal(bundle.status, 400);
    t.same(validFhir(t, bundle).issue[0].expression, ['Bundle.entry[0].resource.name[0].given[0]']);
    for (const suffix of [...cases.keys(), 'b']) {
      const search = await kinga.fhir({
        method: 'GET',
        url: `/fhir/R4/Patient?identifier=${number}-${suffix}&_summary=count`,
      });
      t.equal(search.body.total, 0, `nothing stored (${suffix})`);
    }
    // Tab, line feed and carriage return are allowed, escaped or not.
    const allowed = 'Tab\tLine\nReturn\rEnd';
    const kept = await post(
      JSON.stringify({
        resourceType: 'Patient',
        identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: `${number}-ok` }],
        name: [{ family: allowed, given: ['Back\\bslash'] }],
      }),
    );
    t.equal(kept.status, 201);
    t.match(validFhir(t, kept).name[0], { family: allowed, given: ['Back\\bslash'] }, 'as sent');
  },
);

t.test('a NUL character (%00) anywhere in a URL is a 400, never a 500 or an invalid outcome', async (t) => {
  // Search, read, history and a GET operation's parameters: each used to reach the handler.
  for (const url of [
    '/fhir/R4/Patient?name=a%00b',
    '/fhir/R4/Claim?identifier=x%00',
    '/fhir/R4/Patient?a%00=1',
    '/fhir/R4/Patient/a%00b',
    '/fhir/R4/Patient/a%00b/_history',
    '/fhir/R4/Measure/ENROLMENT/$evaluate-measure?periodStart=2026-11-01&periodEnd=2026-11-30&subject=Location/%00',
  ]) {
    const res = await kinga.fhir({ method: 'GET', url });
    t.equal(res.status, 400, url);
    const issue = validFhir(t, res).issue[0];
    t.equal(issue.details.coding[0].code, 'request.nul-character', url);
  }
  const rest = await kinga.app.inject({
    method: 'GET',
    url: '/payments/exceptions?status=a%00',
    headers: { authorization: `Bearer ${await kinga.token()}` },
  });
  t.equal(rest.statusCode, 400, 'a REST route too');
  t.equal(rest.json().type, 'https://kinga.health/errors/request.nul-character', 'as problem+json');
});

t.test('a Bundle entry whose URL holds %00 is refused by its entry', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: 'Patient?name=a%00b' } },
        { request: { method: 'GET', url: 'Patient?_count=1' } },
      ],
    },
  });
  t.equal(res.status, 200);
  const bundle = validFhir(t, res);
  t.match(bundle.entry[0].response.status, /^400/);
  t.same(bundle.entry[0].response.outcome.issue[0].expression, ['Bundle.entry[0].request.url']);
  t.match(bundle.entry[1].response.status, /^200/, 'the other entry is answered');
});

t.test('a key holding NUL is named by the object that holds it', async (t) => {
  const res = await post('{"resourceType":"Patient","name":[{"fam\\u0000ily":"X"}]}');
  t.equal(res.status, 400);
  t.same(validFhir(t, res).issue[0].expression, ['Patient.name[0]']);
});

t.test('an unsupported content type is a 415', async (t) => {
  const res = await post('<Patient/>', 'application/fhir+xml');
  t.equal(res.status, 415);
  validFhir(t, res);
});

t.test('a 10 MB body is a 413, not a crash', async (t) => {
  const huge = JSON.stringify({
    resourceType: 'Patient',
    text: { status: 'generated', div: 'x'.repeat(10 * 1024 * 1024) },
  });
  const res = await post(huge);
  t.equal(res.status, 413);
  validFhir(t, res);
});

t.test('a deep-nesting bomb is a 400 and answers quickly', async (t) => {
  const bomb = '['.repeat(100_000) + ']'.repeat(100_000);
  const res = await post(`{"resourceType":"Patient","extension":${bomb}}`);
  t.equal(res.status, 400);
  t.match(validFhir(t, res).issue[0].diagnostics, /nests deeper/);
});

t.test('prototype pollution keys are refused', async (t) => {
  const res = await post('{"resourceType":"Patient","__proto__":{"admin":true}}');
  t.equal(res.status, 400);
  validFhir(t, res);
});

t.test('an unknown resource type is a 404; an unsupported method on a known type is a 405', async (t) => {
  const unknown = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Spaceship/1' });
  t.equal(unknown.status, 404);
  t.equal(validFhir(t, unknown).issue[0].code, 'not-supported');
  const patch = await kinga.fhir({ method: 'PATCH', url: '/fhir/R4/Patient/1', body: [] });
  t.equal(patch.status, 405);
  validFhir(t, patch);
});

t.test('XML is not served: 406', async (t) => {
  const res = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/Patient',
    headers: { accept: 'application/fhir+xml' },
  });
  t.equal(res.status, 406);
  validFhir(t, res);
});

t.test('a resource of the wrong type, an unknown element, a bad code: 400 naming the element', async (t) => {
  const wrongType = await post(JSON.stringify({ resourceType: 'Observation' }));
  t.equal(wrongType.status, 400);
  t.same(validFhir(t, wrongType).issue[0].expression, ['resourceType']);
  const unknownElement = await post(JSON.stringify({ resourceType: 'Patient', favouriteColour: 'blue' }));
  t.equal(unknownElement.status, 400);
  t.same(validFhir(t, unknownElement).issue[0].expression, ['Patient.favouriteColour']);
  const badCode = await post(
    JSON.stringify({ resourceType: 'Patient', gender: 'robot', birthDate: '1990-13-40' }),
  );
  t.equal(badCode.status, 400);
  t.same(
    validFhir(t, badCode)
      .issue.map((i: any) => i.expression[0])
      .sort(),
    ['Patient.birthDate', 'Patient.gender'],
  );
});

t.test('business rules are 422s naming the element', async (t) => {
  const noNumber = await post(
    JSON.stringify({ resourceType: 'Patient', name: [{ family: 'A', given: ['B'] }] }),
  );
  t.equal(noNumber.status, 422);
  t.same(validFhir(t, noNumber).issue[0].expression, ['Patient.identifier']);
  const future = await post(
    JSON.stringify({
      resourceType: 'Patient',
      identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: 'FUTURE1' }],
      name: [{ family: 'A', given: ['B'] }],
      birthDate: '2999-01-01',
    }),
  );
  t.equal(future.status, 422);
  t.same(validFhir(t, future).issue[0].expression, ['Patient.birthDate']);
  const badVillage = await post(
    JSON.stringify({
      resourceType: 'Patient',
      identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: 'NOVILLAGE1' }],
      name: [{ family: 'A', given: ['B'] }],
      address: [
        {
          extension: [
            {
              url: 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/address-location-reference',
              valueReference: { reference: 'Location/01a209e3-0000-7000-8000-000000000000' },
            },
          ],
        },
      ],
    }),
  );
  t.equal(badVillage.status, 422);
  t.match(validFhir(t, badVillage).issue[0].expression[0], /address-location-reference/);
});

t.test('PUT with a different id in the body is a 400; an If-Match that is not an ETag too', async (t) => {
  const id = crypto.randomUUID();
  const body = { resourceType: 'Patient', id: crypto.randomUUID(), name: [{ family: 'A', given: ['B'] }] };
  const res = await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Patient/${id}`, body });
  t.equal(res.status, 400);
  t.same(validFhir(t, res).issue[0].expression, ['Patient.id']);
  const badIfMatch = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Patient/${id}`,
    body: { ...body, id },
    headers: { 'if-match': 'banana' },
  });
  t.equal(badIfMatch.status, 400);
});

t.test('errors outside /fhir are problem+json', async (t) => {
  const res = await kinga.app.inject({ method: 'GET', url: '/nowhere' });
  t.equal(res.statusCode, 404);
  t.match(res.headers['content-type'], /application\/problem\+json/);
  t.equal(JSON.parse(res.body).status, 404);
});

t.test('a failure inside the server answers 5xx with no internals', async (t) => {
  const broken = await buildTestApp(t);
  await broken.database.orm.close(true);
  const res = await broken.fhir({ method: 'GET', url: '/fhir/R4/Patient?family=x' });
  t.ok(res.status >= 500, `status ${res.status}`);
  const outcome = validFhir(t, res);
  t.notMatch(JSON.stringify(outcome), /pool|sql|select|stack|\.ts:/i, 'no driver message, SQL or stack');
});
