import t from 'tap';
import { buildTestApp, validFhir } from '../helpers/test-app.ts';
import {
  cover,
  facilityWithPrices,
  insuredFamily,
  makeItem,
  makeProduct,
  makeService,
  write,
} from '../helpers/eligibility-scheme.ts';
import { claimOf, lineAmounts, makeDiagnosis, NO_REVIEW, totalOf } from './claim-fixtures.ts';

const kinga = await buildTestApp(t, NO_REVIEW);
const db = kinga.database;

t.test('a claim is adjudicated and answered with its ClaimResponse', async (t) => {
  const s = await write(db, async (tx) => {
    const product = makeProduct(tx);
    const item = makeItem(tx, { price: '10.00' });
    const service = makeService(tx, 'C', { price: '20.00' });
    cover(tx, product, { item }, { limitAdult: '80.00' });
    cover(tx, product, { service });
    const facility = facilityWithPrices(tx, { items: [{ item }], services: [{ service }] });
    const { members } = insuredFamily(tx, ['1980-01-01'], {
      product,
      start: '2025-01-01',
      effective: '2025-01-01',
      expiry: '2025-12-31',
    });
    const diagnosis = makeDiagnosis(tx);
    return { item, service, facility, member: members[0]!, diagnosis };
  });
  const response = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Claim',
    body: claimOf({
      patient: s.member.id,
      facility: s.facility.id,
      diagnosis: s.diagnosis.code,
      from: '2025-06-01',
      lines: [
        { kind: 'item', code: s.item.code, quantity: 3, price: 10 },
        { kind: 'service', code: s.service.code, quantity: 1, price: 20 },
      ],
    }),
  });
  t.equal(response.status, 201, JSON.stringify(response.body).slice(0, 2000));
  const body = validFhir(t, response);
  t.equal(body.resourceType, 'ClaimResponse');
  t.match(response.headers.location, /ClaimResponse\//);
  t.equal(body.outcome, 'complete');
  t.same(lineAmounts(body, 1), {
    submitted: 30,
    'unit-price': 10,
    eligible: 30,
    deductible: 0,
    copay: 6,
    'exceed-category': 0,
    'exceed-ceiling': 0,
    benefit: 24,
    remunerated: 24,
    reason: '0',
  });
  t.equal(totalOf(body, 'benefit'), 44);
  const claim = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Claim/${body.id}` });
  t.equal(claim.status, 200);
  validFhir(t, claim);
});
