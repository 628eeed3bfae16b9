import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import { claimOf, NO_REVIEW } from './claim-fixtures.ts';
import { claimCount, claimScheme, issueOf, type ClaimScheme } from './claim-scheme.ts';

// A client bound to a facility (an EMR) submits and reads only that facility's claims.

const kinga = await buildTestApp(t, NO_REVIEW);
const s = await claimScheme(kinga.database);
const A = s.facility.id;
const B = s.otherFacility.id;

const emr = {
  authorization: `Bearer ${
    (
      await kinga.app.kinga.auth.tokens.issue({
        clientId: 'emr-a',
        scope: 'system/Claim.crs system/ClaimResponse.rs',
        facilityId: A,
      })
    ).access_token
  }`,
};

function claim(scheme: ClaimScheme, facility: string | undefined, code = unique('FB')): any {
  const body = claimOf({
    code,
    patient: scheme.member.id,
    facility: facility ?? A,
    diagnosis: scheme.diagnosis.code,
    from: '2025-08-01',
    lines: [{ kind: 'service', code: scheme.service.code, quantity: 1, price: 20 }],
  });
  if (facility === undefined) {
    // Claim.provider is 1..1 in R4: a reference without a target leaves the facility to the client's.
    body.provider = { display: 'Ultha Health Centre' };
  }
  return body;
}

const get = (url: string, headers?: Record<string, string>) =>
  kinga.fhir({ method: 'GET', url, ...(headers ? { headers } : {}) });

// Claims of both facilities, for the same patient, submitted by the scheme (not bound).
const ofA = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Claim', body: claim(s, A) });
const ofB = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Claim', body: claim(s, B) });
if (ofA.status !== 201 || ofB.status !== 201) {
  throw new Error(`setup claims: ${ofA.status} ${ofB.status}`);
}

t.test('a bound client submits for its facility, named or left to its binding', async (t) => {
  const own = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Claim', body: claim(s, A), headers: emr });
  t.equal(own.status, 201, JSON.stringify(own.body).slice(0, 600));
  t.equal(validFhir(t, own).requestor.reference, `Organization/${A}`);
  const implicit = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Claim',
    body: claim(s, undefined),
    headers: emr,
  });
  t.equal(implicit.status, 201, JSON.stringify(implicit.body).slice(0, 600));
  t.equal(validFhir(t, implicit).requestor.reference, `Organization/${A}`, 'its own facility');
});

t.test("a bound client may not submit another facility's claim (403), nothing stored", async (t) => {
  const code = unique('FB');
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Claim',
    body: claim(s, B, code),
    headers: emr,
  });
  t.equal(res.status, 403);
  validFhir(t, res);
  t.match(issueOf(t, res), {
    expression: ['Claim.provider'],
    details: { coding: [{ code: 'claim.facility-not-yours' }] },
  });
  t.equal(await claimCount(kinga, code), 0);
  const viaSubmit = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Claim/$submit',
    body: claim(s, B, code),
    headers: emr,
  });
  t.equal(viaSubmit.status, 403);
  validFhir(t, viaSubmit);
});

t.test("a bound client reads its facility's Claim and ClaimResponse, not another's", async (t) => {
  for (const type of ['Claim', 'ClaimResponse']) {
    const own = await get(`/fhir/R4/${type}/${ofA.body.id}`, emr);
    t.equal(own.status, 200, `${type} of A`);
    validFhir(t, own);
    const history = await get(`/fhir/R4/${type}/${ofA.body.id}/_history`, emr);
    t.equal(history.status, 200);
    validFhir(t, history);

    for (const url of [
      `/fhir/R4/${type}/${ofB.body.id}`,
      `/fhir/R4/${type}/${ofB.body.id}/_history`,
      `/fhir/R4/${type}/${ofB.body.id}/_history/1`,
    ]) {
      const other = await get(url, emr);
      t.equal(other.status, 404, url);
      validFhir(t, other);
    }
    t.equal((await get(`/fhir/R4/${type}/${ofB.body.id}`)).status, 200, 'the scheme reads it');
  }
});

t.test('a bound client searches only its facility', async (t) => {
  const patient = `patient=${s.member.id}`;
  const all = validFhir(t, await get(`/fhir/R4/ClaimResponse?${patient}`));
  const ids = all.entry.map((e: any) => e.resource.id);
  t.ok(ids.includes(ofA.body.id) && ids.includes(ofB.body.id), 'the scheme sees both');

  const responses = await get(`/fhir/R4/ClaimResponse?${patient}`, emr);
  t.equal(responses.status, 200);
  const bundle = validFhir(t, responses);
  t.ok(bundle.entry.length >= 1);
  t.ok(
    bundle.entry.every((e: any) => e.resource.requestor.reference === `Organization/${A}`),
    "only A's",
  );
  t.ok(bundle.entry.some((e: any) => e.resource.id === ofA.body.id));

  const byRequestor = validFhir(t, await get(`/fhir/R4/ClaimResponse?requestor=Organization/${B}`, emr));
  t.equal(byRequestor.entry?.length ?? 0, 0, "asking for B's finds nothing");
  const claims = validFhir(t, await get(`/fhir/R4/Claim?${patient}`, emr));
  t.ok(
    claims.entry.some((e: any) => e.resource.id === ofA.body.id),
    "A's claim is found (so the next check is not over nothing)",
  );
  t.ok(claims.entry.every((e: any) => e.resource.provider.reference === `Organization/${A}`));
  const count = validFhir(t, await get(`/fhir/R4/Claim?provider=Organization/${B}&_summary=count`, emr));
  t.equal(count.total, 0);
});
