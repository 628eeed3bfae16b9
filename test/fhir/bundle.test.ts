import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const patient = (number: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
  name: [{ family: 'Bundle', given: ['Entry'] }],
  ...extra,
});

async function count(number: string): Promise<number> {
  const res = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient?identifier=${number}&_summary=count`,
  });
  return res.body.total as number;
}

t.test('a transaction creates every entry in one go and answers per entry', async (t) => {
  const [a, b] = [unique('T'), unique('T')];
  const existing = (await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(unique('T')) }))
    .body;
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'GET', url: `Patient/${existing.id}` } },
        {
          fullUrl: 'urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a',
          resource: patient(a),
          request: { method: 'POST', url: 'Patient' },
        },
        { resource: patient(b), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${b}` } },
        {
          resource: { ...existing, gender: 'male' },
          request: { method: 'PUT', url: `Patient/${existing.id}`, ifMatch: 'W/"1"' },
        },
      ],
    },
  });
  t.equal(res.status, 200);
  const bundle = validFhir(t, res);
  t.equal(bundle.type, 'transaction-response');
  t.same(
    bundle.entry.map((e: any) => e.response.status),
    ['200 OK', '201 Created', '201 Created', '200 OK'],
  );
  t.match(bundle.entry[1].response.location, /^Patient\/[0-9a-f-]{36}\/_history\/1$/);
  t.equal(bundle.entry[3].resource.gender, 'male');
  t.equal(await count(a), 1);
  t.equal(await count(b), 1);
});

// Entries after the first read what earlier ones wrote from the transaction, not from the entity
// manager (process-bundle.ts clears it after each entry).
t.test('later entries of a transaction see what earlier ones wrote', async (t) => {
  const existing = (await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(unique('T')) }))
    .body;
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { ...existing, gender: 'male' },
          request: { method: 'PUT', url: `Patient/${existing.id}`, ifMatch: 'W/"1"' },
        },
        {
          resource: { ...existing, gender: 'female', birthDate: '1990-01-01' },
          request: { method: 'PUT', url: `Patient/${existing.id}`, ifMatch: 'W/"2"' },
        },
      ],
    },
  });
  t.equal(res.status, 200);
  const bundle = validFhir(t, res);
  t.same(
    bundle.entry.map((e: any) => e.response.etag),
    ['W/"2"', 'W/"3"'],
  );
  const read = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${existing.id}` }));
  t.match(read, { meta: { versionId: '3' }, gender: 'female', birthDate: '1990-01-01' });
  const history = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${existing.id}/_history` }),
  );
  t.same(
    history.entry.map((e: any) => `${e.resource.meta.versionId} ${e.resource.gender ?? '-'}`),
    ['3 female', '2 male', `1 ${existing.gender ?? '-'}`],
  );
});

t.test('a failing entry rolls the whole transaction back and names the entry', async (t) => {
  const [a, b] = [unique('R'), unique('R')];
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: patient(a), request: { method: 'POST', url: 'Patient' } },
        { resource: patient(b), request: { method: 'POST', url: 'Patient' } },
        { resource: patient(a), request: { method: 'POST', url: 'Patient' } },
      ],
    },
  });
  t.equal(res.status, 409, 'the duplicate number decides the status');
  const outcome = validFhir(t, res);
  t.same(outcome.issue[0].expression, ['Bundle.entry[2].resource.identifier']);
  t.equal(await count(a), 0, 'nothing of the transaction is stored');
  t.equal(await count(b), 0);
});

t.test('a transaction with an invalid resource stores nothing', async (t) => {
  const a = unique('I');
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: patient(a), request: { method: 'POST', url: 'Patient' } },
        {
          resource: patient(unique('I'), { birthDate: 'yesterday' }),
          request: { method: 'POST', url: 'Patient' },
        },
      ],
    },
  });
  t.equal(res.status, 400);
  t.same(validFhir(t, res).issue[0].expression, ['Bundle.entry[1].resource.birthDate']);
  t.equal(await count(a), 0);
});

t.test('a batch answers entry by entry; a bad entry does not stop the others', async (t) => {
  const [a, b] = [unique('B'), unique('B')];
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: patient(a), request: { method: 'POST', url: 'Patient' } },
        { resource: patient(unique('B'), { gender: 'robot' }), request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'GET', url: 'Patient/01a209e3-0000-7000-8000-000000000000' } },
        { resource: patient(b), request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'PATCH', url: 'Patient/x' } },
      ],
    },
  });
  t.equal(res.status, 200);
  const bundle = validFhir(t, res);
  t.equal(bundle.type, 'batch-response');
  t.same(
    bundle.entry.map((e: any) => e.response.status),
    ['201 Created', '400', '404', '201 Created', '400'],
  );
  t.equal(bundle.entry[1].response.outcome.resourceType, 'OperationOutcome');
  t.equal(await count(a), 1);
  t.equal(await count(b), 1);
});

t.test('a Bundle that is not a transaction or batch is a 400', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: { resourceType: 'Bundle', type: 'collection' },
  });
  t.equal(res.status, 400);
  t.same(validFhir(t, res).issue[0].expression, ['Bundle.type']);
  const notBundle = await kinga.fhir({ method: 'POST', url: '/fhir/R4', body: patient(unique('N')) });
  t.equal(notBundle.status, 400);
});

t.test('a transaction reference to an entry that does not exist fails as a whole', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: patient(unique('U'), {
            generalPractitioner: [{ reference: 'urn:uuid:0e7b2bd5-5c8a-4f43-9b3c-8c7f2a1d2e3f' }],
          }),
          request: { method: 'POST', url: 'Patient' },
        },
      ],
    },
  });
  t.equal(res.status, 400);
  t.match(validFhir(t, res).issue[0].diagnostics, /urn:uuid:0e7b2bd5/);
});

t.test(
  'a transaction enrols a family: locations, members and their Group, each published once',
  async (t) => {
    const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
    const location = (code: string, type: string, partOf?: string) => ({
      resourceType: 'Location',
      identifier: [{ system: 'https://kinga.health/fhir/NamingSystem/location-code', value: code }],
      name: code,
      physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
      ...(partOf ? { partOf: { reference: partOf } } : {}),
    });
    const [r, d, w, v] = ['R', 'D', 'W', 'V'].map((level) => ({
      level,
      code: unique(level),
      urn: `urn:uuid:${crypto.randomUUID()}`,
    }));
    const [head, child] = [unique('H'), unique('M')];
    const member = (number: string, urn: string, given: string) => ({
      fullUrl: urn,
      resource: {
        ...patient(number),
        name: [{ family: 'Enrolled', given: [given] }],
        address: [
          {
            extension: [
              {
                url: `${IG}/StructureDefinition/address-location-reference`,
                valueReference: { reference: v!.urn },
              },
            ],
          },
        ],
      },
      request: { method: 'POST', url: 'Patient' },
    });
    const headUrn = `urn:uuid:${crypto.randomUUID()}`;
    const childUrn = `urn:uuid:${crypto.randomUUID()}`;
    const res = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4',
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          // Listed children first: the server orders creates by their references.
          {
            fullUrl: `urn:uuid:${crypto.randomUUID()}`,
            resource: {
              resourceType: 'Group',
              type: 'person',
              actual: true,
              identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: head }],
              member: [{ entity: { reference: childUrn } }, { entity: { reference: headUrn } }],
            },
            request: { method: 'POST', url: 'Group' },
          },
          member(child, childUrn, 'Child'),
          member(head, headUrn, 'Head'),
          {
            fullUrl: v!.urn,
            resource: location(v!.code, 'V', w!.urn),
            request: { method: 'POST', url: 'Location' },
          },
          {
            fullUrl: w!.urn,
            resource: location(w!.code, 'W', d!.urn),
            request: { method: 'POST', url: 'Location' },
          },
          {
            fullUrl: d!.urn,
            resource: location(d!.code, 'D', r!.urn),
            request: { method: 'POST', url: 'Location' },
          },
          { fullUrl: r!.urn, resource: location(r!.code, 'R'), request: { method: 'POST', url: 'Location' } },
        ],
      },
    });
    t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    const bundle = validFhir(t, res);
    t.same(
      bundle.entry.map((e: any) => e.response.status),
      Array(7).fill('201 Created'),
    );
    const group = bundle.entry[0].resource;
    t.equal(group.quantity, 2);
    t.equal(
      group.member[0].entity.reference,
      bundle.entry[2].response.location.split('/_history')[0],
      'the head is listed first',
    );
    const headPatient = validFhir(
      t,
      await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient?identifier=${head}` }),
    ).entry[0].resource;
    t.equal(
      headPatient.meta.versionId,
      '2',
      'the head: created, then joined its family in the same transaction',
    );
    const village = validFhir(
      t,
      await kinga.fhir({ method: 'GET', url: `/fhir/R4/Location?identifier=${v!.code}` }),
    ).entry[0].resource;
    t.equal(village.meta.versionId, '1', 'each location is published once');
    t.equal(village.partOf.reference, bundle.entry[4].response.location.split('/_history')[0]);
  },
);
