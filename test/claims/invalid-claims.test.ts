import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import { claimOf, NO_REVIEW } from './claim-fixtures.ts';
import { claimCount, claimScheme, issueOf, type ClaimScheme } from './claim-scheme.ts';

// A claim that breaks one rule is refused with a 4xx OperationOutcome naming the element (never a
// 500), and nothing of it is stored.

const kinga = await buildTestApp(t, NO_REVIEW);
const s = await claimScheme(kinga.database);
const NO_SUCH_ID = '01a20000-0000-7000-8000-0000000bad00';

/** Two lines: 2 × item at 10, 1 × service at 20 (total 40). */
function valid(scheme: ClaimScheme): any {
  const claim = claimOf({
    patient: scheme.member.id,
    facility: scheme.facility.id,
    diagnosis: scheme.diagnosis.code,
    from: '2025-06-01',
    to: '2025-06-02',
    created: '2025-06-03',
    lines: [
      { kind: 'item', code: scheme.item.code, quantity: 2, price: 10 },
      { kind: 'service', code: scheme.service.code, quantity: 1, price: 20 },
    ],
  });
  claim.total = { value: 40, currency: 'TZS' };
  claim.enterer = { reference: `Practitioner/${scheme.admin.id}` };
  return claim;
}

const diagnosis = (sequence: number, code: string) => ({
  sequence,
  diagnosisCodeableConcept: { coding: [{ code }] },
});

interface Case {
  name: string;
  change(claim: any): void;
  status: number;
  expression: string;
  /** The catalogue code, when the domain decides (structure errors come from the validator). */
  code?: string;
}

const cases: Case[] = [
  {
    name: 'no patient',
    change: (c) => delete c.patient,
    status: 400,
    expression: 'Claim.patient',
  },
  {
    name: 'an unknown patient',
    change: (c) => (c.patient = { reference: `Patient/${NO_SUCH_ID}` }),
    status: 422,
    expression: 'Claim.patient',
    code: 'claim.patient-unknown',
  },
  {
    name: 'an unknown insurance number',
    change: (c) => (c.patient = { reference: `Patient/${unique('NOPE')}` }),
    status: 422,
    expression: 'Claim.patient',
    code: 'claim.patient-unknown',
  },
  {
    name: 'an unknown item code on the second line',
    change: (c) => (c.item[1].productOrService.coding[0].code = unique('NOPE')),
    status: 422,
    expression: 'Claim.item[1].productOrService',
    code: 'claim.line-target-unknown',
  },
  {
    name: 'a malformed start date',
    change: (c) => (c.billablePeriod.start = '2025-13-45'),
    status: 400,
    expression: 'Claim.billablePeriod.start',
  },
  {
    name: 'a partial start date (a valid FHIR date, not a day)',
    change: (c) => (c.billablePeriod.start = '2025-06'),
    status: 422,
    expression: 'Claim.billablePeriod.start',
    code: 'claim.date-invalid',
  },
  {
    name: 'a partial claim date',
    change: (c) => (c.created = '2025'),
    status: 422,
    expression: 'Claim.created',
    code: 'claim.date-invalid',
  },
  {
    name: 'a malformed claim date',
    change: (c) => (c.created = 'yesterday'),
    status: 400,
    expression: 'Claim.created',
  },
  {
    name: 'quantity 0',
    change: (c) => {
      c.item[0].quantity.value = 0;
      c.total.value = 20;
    },
    status: 422,
    expression: 'Claim.item[0].quantity',
    code: 'claim.quantity-invalid',
  },
  {
    name: 'quantity 1.5',
    change: (c) => {
      c.item[0].quantity.value = 1.5;
      c.total.value = 35;
    },
    status: 422,
    expression: 'Claim.item[0].quantity',
    code: 'claim.quantity-invalid',
  },
  {
    name: 'a negative price',
    change: (c) => {
      c.item[1].unitPrice.value = -20;
      c.total.value = 0;
    },
    status: 422,
    expression: 'Claim.item[1].unitPrice',
    code: 'claim.price-invalid',
  },
  {
    name: 'a total that is not the sum of the lines',
    change: (c) => (c.total.value = 41),
    status: 422,
    expression: 'Claim.total',
    code: 'claim.total-mismatch',
  },
  {
    name: 'an end before the start',
    change: (c) => (c.billablePeriod = { start: '2025-06-02', end: '2025-06-01' }),
    status: 422,
    expression: 'Claim.billablePeriod.end',
    code: 'claim.dates',
  },
  {
    name: 'an unknown main diagnosis',
    change: (c) => (c.diagnosis = [diagnosis(1, unique('X'))]),
    status: 422,
    expression: 'Claim.diagnosis[0]',
    code: 'claim.diagnosis-unknown',
  },
  {
    name: 'an unknown secondary diagnosis',
    change: (c) => (c.diagnosis = [diagnosis(1, s.diagnosis.code), diagnosis(2, unique('X'))]),
    status: 422,
    expression: 'Claim.diagnosis[1]',
    code: 'claim.diagnosis-unknown',
  },
  {
    name: 'more than 5 diagnoses',
    change: (c) =>
      (c.diagnosis = [s.diagnosis, ...s.moreDiagnoses, s.diagnosis].map((d, i) => diagnosis(i + 1, d.code))),
    status: 422,
    expression: 'Claim.diagnosis',
    code: 'claim.too-many-diagnoses',
  },
  {
    name: 'an unknown facility',
    change: (c) => (c.provider = { reference: `Organization/${NO_SUCH_ID}` }),
    status: 422,
    expression: 'Claim.provider',
    code: 'claim.facility-unknown',
  },
  {
    name: 'a facility code no facility has',
    change: (c) => (c.provider = { reference: `Organization/${unique('HF')}` }),
    status: 422,
    expression: 'Claim.provider',
    code: 'claim.facility-unknown',
  },
  {
    name: 'an unknown claim administrator',
    change: (c) => (c.enterer = { reference: `Practitioner/${NO_SUCH_ID}` }),
    status: 422,
    expression: 'Claim.enterer',
    code: 'claim.admin-unknown',
  },
  {
    name: 'a line that is neither item nor service',
    change: (c) => (c.item[0].category = { text: 'drug' }),
    status: 422,
    expression: 'Claim.item[0].category',
  },
  {
    name: 'no lines',
    change: (c) => {
      delete c.item;
      delete c.total;
    },
    status: 400,
    expression: 'Claim.item',
    code: 'claim.no-lines',
  },
  {
    name: 'a line sequence given twice',
    change: (c) => (c.item[1].sequence = 1),
    status: 400,
    expression: 'Claim.item[1].sequence',
    code: 'claim.sequence-duplicate',
  },
  {
    name: 'no claim code',
    change: (c) => delete c.identifier,
    status: 422,
    expression: 'Claim.identifier',
  },
];

t.test('the valid claim the cases start from is accepted', async (t) => {
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Claim', body: valid(s) });
  t.equal(res.status, 201, JSON.stringify(res.body).slice(0, 1000));
  validFhir(t, res);
});

for (const c of cases) {
  t.test(`${c.name}: ${c.status} naming ${c.expression}, nothing stored`, async (t) => {
    const claim = valid(s);
    const code = unique('BAD');
    claim.identifier[0].value = code;
    c.change(claim);
    const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Claim', body: claim });
    t.equal(res.status, c.status, JSON.stringify(res.body).slice(0, 1000));
    validFhir(t, res);
    const issue = issueOf(t, res);
    t.same(issue.expression, [c.expression]);
    t.equal(issue.severity, 'error');
    if (c.code) {
      t.equal(issue.details?.coding?.[0]?.code, c.code);
    }
    t.ok(issue.diagnostics, 'a message a person can read');
    t.equal(await claimCount(kinga, code), 0, 'nothing stored');
  });
}
