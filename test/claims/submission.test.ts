import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { assertValidFhir } from '../helpers/fhir-validator.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';
import { claimOf, NO_REVIEW } from './claim-fixtures.ts';
import { claimCount, claimScheme, issueOf, retarget, type ClaimScheme } from './claim-scheme.ts';

const kinga = await buildTestApp(t, NO_REVIEW);
const db = kinga.database;

const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/openimis/${name}.json`, import.meta.url), 'utf8'));

/** POSTs a Claim; a 2xx answer must be the ClaimResponse, any answer valid FHIR. */
async function submit(t: Test, body: unknown, url = '/fhir/R4/Claim', headers?: Record<string, string>) {
  const res = await kinga.fhir({ method: 'POST', url, body, ...(headers ? { headers } : {}) });
  validFhir(t, res);
  return res;
}

function accepted(t: Test, res: Awaited<ReturnType<typeof submit>>, status = 201): any {
  t.equal(res.status, status, JSON.stringify(res.body).slice(0, 1500));
  t.equal(res.body.resourceType, 'ClaimResponse');
  if (status === 201) {
    t.equal(res.headers.location, `http://kinga.test/fhir/R4/ClaimResponse/${res.body.id}/_history/1`);
  }
  return res.body;
}

const simple = (s: ClaimScheme, code = unique('CL'), facility = s.facility.id) =>
  claimOf({
    code,
    patient: s.member.id,
    facility,
    diagnosis: s.diagnosis.code,
    from: '2025-06-01',
    lines: [
      { kind: 'item', code: s.item.code, quantity: 2, price: 10 },
      { kind: 'service', code: s.service.code, quantity: 1, price: 20 },
    ],
  });

t.test('openIMIS claim-example-1: references by UUID, an item named by a Code identifier only', async (t) => {
  const s = await claimScheme(db);
  const claim = retarget(fixture('claim-example-1'), {
    '76aca309-f8cf-4890-8f2e-b416d78de00b': s.member.id,
    '044c33d1-dbf3-4d6a-9924-3797b461e535': s.admin.id,
    '6d0eea8c-62eb-11ea-94d6-c36229a16c2f': s.facility.id,
    'a17602f4-e9ff-4f42-a6a4-ccefcb23b4d6': s.service.id,
    M7: s.service.code,
    '0004': s.item.code,
    T_CD: s.diagnosis.code,
  });
  t.equal(claim.item[0].category.text, 'item', 'the category stays text');
  const response = accepted(t, await submit(t, claim));
  t.same(response.identifier[0].value, 'T00001');
  t.equal(response.patient.reference, `Patient/${s.member.id}`);
  t.equal(response.requestor.reference, `Organization/${s.facility.id}`);
  t.same(
    response.item.map((i: any) => i.itemSequence),
    [1, 2],
  );
  const stored = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Claim/${response.id}` });
  t.equal(stored.status, 200);
  const read = validFhir(t, stored);
  t.equal(read.enterer?.reference, `Practitioner/${s.admin.id}`, 'the claim administrator is kept');
  t.equal(read.item.length, 2);
});

t.test('openIMIS claim-example-2 (IG): Type/<code> references and a coded category', async (t) => {
  const s = await claimScheme(db);
  const claim = retarget(fixture('claim-example-2'), {
    'john-doe': s.member.insuranceNumber,
    'Rushila-Dani-CA': s.admin.code,
    RaptaDistrictHospital: s.facility.code,
    GeneralConsultationService: s.service.code,
    AspirinMedication: s.item.code,
    G44: s.diagnosis.code,
  });
  t.same(claim.item[0].category.coding[0].code, 'service', 'the category stays coded');
  const response = accepted(t, await submit(t, claim));
  t.equal(response.identifier[0].value, 'Code001');
  t.equal(response.patient.reference, `Patient/${s.member.id}`);
  t.equal(response.requestor.reference, `Organization/${s.facility.id}`);
  t.equal(response.outcome, 'complete');
});

/** The contained fixture pointed at the scheme's records (the contained resources keep their shape). */
function containedClaim(s: ClaimScheme, patientCode = unique('N')): any {
  return retarget(fixture('claim-example-contained-1'), {
    'AAAA08B5-6E85-470C-83EC-0EE9370F0000': s.member.id,
    '105000003': patientCode,
    'AAAA5229-DD11-4383-863C-E2FAD1B20000': s.admin.id,
    'AAAA5F9B-97C6-444B-AAD9-2FCCFD460000': s.facility.id,
    'AAAA76E2-DC28-4B48-8E29-3AC4ABEC0000': s.item.id,
    'AAAA29BA-3F4E-4E6F-B55C-23A488A10000': s.service.id,
    cItem: s.item.code,
    cServ: s.service.code,
    T_CD: s.diagnosis.code,
  });
}

t.test('openIMIS claim-example-contained-1: contained resources resolve to the registers', async (t) => {
  const s = await claimScheme(db);
  const claim = containedClaim(s, s.member.insuranceNumber);
  t.equal(claim.contained.length, 7);
  const response = accepted(t, await submit(t, claim));
  t.equal(response.identifier[0].value, 'T00002');
  t.equal(response.patient.reference, `Patient/${s.member.id}`, 'the contained Patient is the member');
  const read = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Claim/${response.id}` }));
  t.notOk(read.contained, 'the stored claim refers to the registers, it contains nothing');
});

async function total(url: string): Promise<number> {
  const res = await kinga.fhir({ method: 'GET', url });
  return res.body.total as number;
}

t.test(
  'a contained Patient or Medication unknown to the registers is an error, never a record',
  async (t) => {
    const s = await claimScheme(db);
    const patientCode = unique('N');
    const strangerId = '01a20000-0000-7000-8000-00000000c0de';
    const itemCode = unique('IT');
    const code = unique('CL');
    const patientCount = `/fhir/R4/Patient?identifier=${patientCode}&_summary=count`;
    const medicationCount = `/fhir/R4/Medication?identifier=${itemCode}&_summary=count`;
    t.equal(await total(patientCount), 0);

    const unknownPatient = containedClaim(s, patientCode);
    unknownPatient.identifier[0].value = code;
    const patient = unknownPatient.contained.find((r: any) => r.resourceType === 'Patient');
    patient.id = strangerId;
    patient.identifier[0].value = strangerId;
    unknownPatient.patient.reference = `#Patient/${strangerId}`;
    unknownPatient.patient.identifier.value = strangerId;
    const res = await submit(t, unknownPatient);
    t.equal(res.status, 422);
    t.match(issueOf(t, res), {
      expression: ['Claim.patient'],
      details: { coding: [{ code: 'claim.patient-unknown' }] },
    });
    t.equal(await total(patientCount), 0, 'no Patient created');
    t.equal((await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${strangerId}` })).status, 404);

    const unknownItem = containedClaim(s);
    unknownItem.identifier[0].value = code;
    const medication = unknownItem.contained.find((r: any) => r.resourceType === 'Medication');
    medication.id = strangerId;
    medication.identifier = [
      { ...medication.identifier[0], value: strangerId },
      { ...medication.identifier[1], value: itemCode },
    ];
    unknownItem.item[0].extension[0].valueReference.reference = `#Medication/${strangerId}`;
    const res2 = await submit(t, unknownItem);
    t.equal(res2.status, 422);
    t.match(issueOf(t, res2), {
      expression: ['Claim.item[0].productOrService'],
      details: { coding: [{ code: 'claim.line-target-unknown' }] },
    });
    t.equal(await total(medicationCount), 0, 'no Medication created');
    t.equal((await kinga.fhir({ method: 'GET', url: `/fhir/R4/Medication/${strangerId}` })).status, 404);
    t.equal(await claimCount(kinga, code), 0, 'no claim stored either');
  },
);

t.test('the same claim sent again is answered 200 with the same ClaimResponse', async (t) => {
  const s = await claimScheme(db);
  const claim = simple(s);
  const first = accepted(t, await submit(t, claim));
  const again = accepted(t, await submit(t, claim), 200);
  t.equal(again.id, first.id);
  t.equal(again.meta.versionId, first.meta.versionId, 'the stored answer, not a new version');
  t.equal(await claimCount(kinga, claim.identifier[0].value), 1);
});

t.test('another claim with a used code is 409 at the same facility, fine at another', async (t) => {
  const s = await claimScheme(db);
  const code = unique('CL');
  const first = accepted(t, await submit(t, simple(s, code)));
  const different = simple(s, code);
  different.item[0].quantity.value = 3;
  different.total = undefined;
  const conflict = await submit(t, different);
  t.equal(conflict.status, 409);
  t.same(issueOf(t, conflict).expression, ['Claim.identifier']);
  const elsewhere = accepted(t, await submit(t, simple(s, code, s.otherFacility.id)));
  t.not(elsewhere.id, first.id);
  t.equal(elsewhere.requestor.reference, `Organization/${s.otherFacility.id}`);
  t.equal(await claimCount(kinga, code), 2, 'one claim per facility');
});

t.test('100 concurrent identical submissions make exactly one claim', async (t) => {
  const s = await claimScheme(db);
  const claim = simple(s);
  const token = await kinga.token();
  const answers = await Promise.all(
    Array.from({ length: 100 }, () =>
      kinga.app.inject({
        method: 'POST',
        url: '/fhir/R4/Claim',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        payload: JSON.stringify(claim),
      }),
    ),
  );
  answers.forEach((a, i) => assertValidFhir(t, JSON.parse(a.body), `answer ${i + 1}`));
  const statuses = answers.map((a) => a.statusCode);
  t.equal(statuses.filter((s) => s === 201).length, 1, 'one created');
  t.equal(statuses.filter((s) => s === 200).length, 99, 'the others answered with it');
  const ids = new Set(answers.map((a) => JSON.parse(a.body).id));
  t.equal(ids.size, 1, 'one ClaimResponse id');
  t.equal(await claimCount(kinga, claim.identifier[0].value), 1);
});

t.test('Claim/$submit takes the Claim as the body or in Parameters, as POST Claim does', async (t) => {
  const s = await claimScheme(db);
  const bodyClaim = simple(s);
  const direct = accepted(t, await submit(t, bodyClaim, '/fhir/R4/Claim/$submit'));
  t.equal(direct.outcome, 'complete');
  const again = accepted(t, await submit(t, bodyClaim, '/fhir/R4/Claim'), 200);
  t.equal(again.id, direct.id, 'the same use case: the same claim sent again');

  const wrapped = simple(s);
  const parameters = { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: wrapped }] };
  const viaParameters = accepted(t, await submit(t, parameters, '/fhir/R4/Claim/$submit'));
  t.equal(viaParameters.identifier[0].value, wrapped.identifier[0].value);
  const resent = accepted(t, await submit(t, parameters, '/fhir/R4/Claim/$submit'), 200);
  t.equal(resent.id, viaParameters.id);

  const used = simple(s, wrapped.identifier[0].value);
  used.item[0].quantity.value = 5;
  const conflict = await submit(t, used, '/fhir/R4/Claim/$submit');
  t.equal(conflict.status, 409);

  const missing = await submit(t, { resourceType: 'Parameters', parameter: [] }, '/fhir/R4/Claim/$submit');
  t.equal(missing.status, 400);
  t.ok(issueOf(t, missing).expression?.[0]?.includes('resource'));
});
