import { Client } from 'fhir-kit-client';
import t from 'tap';
import { buildTestApp, freePort, unique } from '../helpers/test-app.ts';
import { assertValidFhir } from '../helpers/fhir-validator.ts';

// A real FHIR client over a real socket: what an EMR integrator would use.
// Links in Bundles are absolute (PUBLIC_BASE_URL): the server must be reachable where it says it is.
const port = await freePort();
const kinga = await buildTestApp(t, { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
const address = await kinga.app.listen({ host: '127.0.0.1', port });
const client = new Client({ baseUrl: `${address}/fhir/R4`, bearerToken: await kinga.token() });

t.test('fhir-kit-client creates, reads, searches and pages to the last page', async (t) => {
  const family = unique('Kit');
  const created: any[] = [];
  for (let i = 0; i < 11; i++) {
    const patient = await client.create({
      resourceType: 'Patient',
      body: {
        resourceType: 'Patient',
        identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: unique('K') }],
        name: [{ family, given: [`Child${i}`] }],
      },
    });
    assertValidFhir(t, patient, 'created Patient');
    created.push(patient);
  }
  const read = await client.read({ resourceType: 'Patient', id: created[0].id });
  assertValidFhir(t, read, 'read Patient');
  t.equal((read as any).meta.versionId, '1');

  let page: any = await client.search({ resourceType: 'Patient', searchParams: { family, _count: 4 } });
  const seen: string[] = [];
  let pages = 0;
  while (page) {
    assertValidFhir(t, page, `page ${pages + 1}`);
    seen.push(...(page.entry ?? []).map((e: any) => e.resource.id));
    pages += 1;
    page = page.link?.some((l: any) => l.relation === 'next')
      ? await client.nextPage({ bundle: page })
      : undefined;
  }
  t.equal(pages, 3);
  t.same(
    seen,
    created.map((p) => p.id),
    'every Patient once, in creation order',
  );

  const capability: any = await client.capabilityStatement();
  assertValidFhir(t, capability, 'CapabilityStatement');
  t.ok(capability.rest[0].resource.some((r: any) => r.type === 'Patient'));
});
