import { Client } from 'fhir-kit-client';
import t, { type Test } from 'tap';
import { assertValidFhir } from '../helpers/fhir-validator.ts';
import { buildTestApp, freePort, unique } from '../helpers/test-app.ts';
import { claimOf, NO_REVIEW } from './claim-fixtures.ts';
import { claimScheme, type ClaimScheme } from './claim-scheme.ts';

// An EMR with a real FHIR client over a real socket: it submits claims and polls their
// ClaimResponses. Claims whose benefit is above 100.00 wait for review (outcome queued).

const port = await freePort();
const kinga = await buildTestApp(t, {
  ...NO_REVIEW,
  CLAIM_REVIEW_AMOUNT_ABOVE: '100.00',
  PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
});
const address = await kinga.app.listen({ host: '127.0.0.1', port });
const client = new Client({ baseUrl: `${address}/fhir/R4`, bearerToken: await kinga.token() });

const claim = (s: ClaimScheme, options: { facility?: string; created: string; services?: number }) =>
  claimOf({
    code: unique('KIT'),
    patient: s.member.id,
    facility: options.facility ?? s.facility.id,
    diagnosis: s.diagnosis.code,
    from: options.created,
    created: options.created,
    lines: [{ kind: 'service', code: s.service.code, quantity: options.services ?? 1, price: 20 }],
  });

/** The ids of a search's matches, every page checked as valid FHIR. */
async function idsOf(t: Test, resourceType: string, searchParams: Record<string, string>): Promise<string[]> {
  const bundle: any = await client.search({ resourceType, searchParams });
  assertValidFhir(t, bundle, `${resourceType} search ${JSON.stringify(searchParams)}`);
  return (bundle.entry ?? []).map((e: any) => e.resource.id).sort();
}

const sorted = (...ids: string[]) => [...ids].sort();

t.test('fhir-kit-client submits a claim and polls its ClaimResponse', async (t) => {
  const s = await claimScheme(kinga.database);
  const submitted = claim(s, { created: '2025-06-03' });
  const response: any = await client.create({ resourceType: 'Claim', body: submitted });
  assertValidFhir(t, response, 'the answer to the submission');
  t.equal(response.resourceType, 'ClaimResponse');
  t.equal(response.outcome, 'complete');

  const read: any = await client.read({ resourceType: 'ClaimResponse', id: response.id });
  assertValidFhir(t, read, 'ClaimResponse read');
  t.equal(read.meta.versionId, '1');
  t.same(read.total, response.total);

  const polled: any = await client.search({
    resourceType: 'ClaimResponse',
    searchParams: { request: `Claim/${response.id}` },
  });
  assertValidFhir(t, polled, 'ClaimResponse?request=');
  t.same(
    polled.entry.map((e: any) => e.resource.id),
    [response.id],
  );
  const claimRead: any = await client.read({ resourceType: 'Claim', id: response.id });
  assertValidFhir(t, claimRead, 'Claim read');
  t.ok(claimRead.identifier.some((i: any) => i.value === submitted.identifier[0].value));
});

t.test('ClaimResponse and Claim searches an EMR polls with', async (t) => {
  const s = await claimScheme(kinga.database);
  const before = new Date(Date.now() - 1000).toISOString();
  const june: any = await client.create({ resourceType: 'Claim', body: claim(s, { created: '2025-06-03' }) });
  const july: any = await client.create({
    resourceType: 'Claim',
    body: claim(s, { created: '2025-07-03', services: 6 }),
  });
  const elsewhere: any = await client.create({
    resourceType: 'Claim',
    body: claim(s, { created: '2025-07-04', facility: s.otherFacility.id }),
  });
  const patient = `Patient/${s.member.id}`;
  t.equal(july.outcome, 'queued', '120.00 is above the review threshold');

  t.same(await idsOf(t, 'ClaimResponse', { patient }), sorted(june.id, july.id, elsewhere.id));
  t.same(await idsOf(t, 'ClaimResponse', { patient, outcome: 'queued' }), [july.id]);
  t.same(await idsOf(t, 'ClaimResponse', { patient, outcome: 'complete' }), sorted(june.id, elsewhere.id));
  t.same(await idsOf(t, 'ClaimResponse', { patient, requestor: `Organization/${s.otherFacility.id}` }), [
    elsewhere.id,
  ]);
  t.same(
    await idsOf(t, 'ClaimResponse', { patient, created: `ge${before}` }),
    sorted(june.id, july.id, elsewhere.id),
  );
  t.same(await idsOf(t, 'ClaimResponse', { patient, created: `lt${before}` }), []);
  t.same(
    await idsOf(t, 'ClaimResponse', { patient, _lastUpdated: `ge${before}` }),
    sorted(june.id, july.id, elsewhere.id),
  );
  const later = new Date(Date.now() + 60_000).toISOString();
  t.same(await idsOf(t, 'ClaimResponse', { patient, _lastUpdated: `gt${later}` }), []);

  const code = june.identifier[0].value;
  t.same(await idsOf(t, 'Claim', { identifier: code }), [june.id]);
  t.same(await idsOf(t, 'Claim', { patient }), sorted(june.id, july.id, elsewhere.id));
  t.same(
    await idsOf(t, 'Claim', { patient, provider: `Organization/${s.facility.id}` }),
    sorted(june.id, july.id),
  );
  t.same(await idsOf(t, 'Claim', { patient, created: 'ge2025-07-01' }), sorted(july.id, elsewhere.id));
  t.same(await idsOf(t, 'Claim', { patient, created: '2025-06-03' }), [june.id]);
});
