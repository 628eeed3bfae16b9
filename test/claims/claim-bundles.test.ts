import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import { claimOf, NO_REVIEW } from './claim-fixtures.ts';
import { claimCount, claimScheme, issueOf, type ClaimScheme } from './claim-scheme.ts';

// Claims back-loaded from an EMR or an offline device: a transaction Bundle is all-or-nothing, a
// batch answers entry by entry.

const kinga = await buildTestApp(t, NO_REVIEW);
const s = await claimScheme(kinga.database);

function claim(scheme: ClaimScheme, code: string, itemCode = scheme.item.code): any {
  return claimOf({
    code,
    patient: scheme.member.id,
    facility: scheme.facility.id,
    diagnosis: scheme.diagnosis.code,
    from: '2025-07-01',
    lines: [{ kind: 'item', code: itemCode, quantity: 1, price: 10 }],
  });
}

const entry = (resource: unknown) => ({ resource, request: { method: 'POST', url: 'Claim' } });

async function post(type: 'transaction' | 'batch', claims: unknown[]) {
  return kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: { resourceType: 'Bundle', type, entry: claims.map(entry) },
  });
}

t.test('a transaction of claims stores them all and answers each with its ClaimResponse', async (t) => {
  const codes = [unique('TX'), unique('TX'), unique('TX')];
  const res = await post(
    'transaction',
    codes.map((code) => claim(s, code)),
  );
  t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 1000));
  const bundle = validFhir(t, res);
  t.equal(bundle.type, 'transaction-response');
  t.same(
    bundle.entry.map((e: any) => e.response.status),
    ['201 Created', '201 Created', '201 Created'],
  );
  bundle.entry.forEach((e: any, i: number) => {
    t.equal(e.resource.resourceType, 'ClaimResponse');
    t.equal(e.resource.identifier[0].value, codes[i]);
    t.match(e.response.location, new RegExp(`^ClaimResponse/${e.resource.id}/_history/1$`));
  });
  for (const code of codes) {
    t.equal(await claimCount(kinga, code), 1);
  }
});

t.test('one bad claim in a transaction stores none of them', async (t) => {
  const codes = [unique('TX'), unique('TX'), unique('TX')];
  const res = await post('transaction', [
    claim(s, codes[0]!),
    claim(s, codes[1]!),
    claim(s, codes[2]!, unique('NOPE')),
  ]);
  t.equal(res.status, 422);
  validFhir(t, res);
  t.same(issueOf(t, res).expression, ['Bundle.entry[2].resource.item[0].productOrService']);
  for (const code of codes) {
    t.equal(await claimCount(kinga, code), 0, `${code} not stored`);
  }
});

t.test('a claim sent twice in one transaction is one claim', async (t) => {
  const code = unique('TX');
  const res = await post('transaction', [claim(s, code), claim(s, code)]);
  t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 1000));
  const bundle = validFhir(t, res);
  t.same(
    bundle.entry.map((e: any) => e.response.status),
    ['201 Created', '200 OK'],
  );
  t.equal(bundle.entry[0].resource.id, bundle.entry[1].resource.id);
  t.equal(await claimCount(kinga, code), 1);
});

t.test('a batch of claims answers entry by entry', async (t) => {
  const codes = [unique('BA'), unique('BA'), unique('BA')];
  const stored = claim(s, unique('BA'));
  t.equal((await kinga.fhir({ method: 'POST', url: '/fhir/R4/Claim', body: stored })).status, 201);
  const res = await post('batch', [
    claim(s, codes[0]!),
    claim(s, codes[1]!, unique('NOPE')),
    claim(s, codes[2]!),
    stored,
  ]);
  t.equal(res.status, 200);
  const bundle = validFhir(t, res);
  t.equal(bundle.type, 'batch-response');
  t.same(
    bundle.entry.map((e: any) => e.response.status),
    ['201 Created', '422', '201 Created', '200 OK'],
  );
  // Each entry of a batch stands alone: its outcome names the element in its own resource.
  const outcome = bundle.entry[1].response.outcome;
  t.equal(outcome.resourceType, 'OperationOutcome');
  t.same(outcome.issue[0].expression, ['Claim.item[0].productOrService']);
  t.equal(bundle.entry[0].resource.resourceType, 'ClaimResponse');
  t.equal(await claimCount(kinga, codes[0]!), 1);
  t.equal(await claimCount(kinga, codes[1]!), 0);
  t.equal(await claimCount(kinga, codes[2]!), 1);
});
