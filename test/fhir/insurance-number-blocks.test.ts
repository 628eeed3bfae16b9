import t from 'tap';
import { InsuranceNumberAllocation } from '../../src/domain/insuree/insurance-number-allocation.entity.ts';
import { insuranceNumberProblem } from '../../src/domain/insuree/insurance-number.ts';
import { insuranceNumberRules } from '../../src/fhir/patient/patient.module.ts';
import { buildTestApp, unique, validFhir, type TestApp } from '../helpers/test-app.ts';
import { created, enrolmentOfficer, practitioner } from '../helpers/scheme-fixtures.ts';

// Ten digits with a Luhn check digit: the rules every generated number must meet.
const kinga = await buildTestApp(t, { INSURANCE_NUMBER_LENGTH: '10', INSURANCE_NUMBER_CHECK_DIGIT: 'luhn' });
const OPERATION = 'https://kinga.health/fhir/OperationDefinition/Practitioner-allocate-insurance-numbers';

async function allocate(app: TestApp, officerId: string, count: number | undefined, scopes?: string) {
  return app.fhir({
    method: 'POST',
    url: `/fhir/R4/Practitioner/${officerId}/$allocate-insurance-numbers`,
    body: {
      resourceType: 'Parameters',
      parameter: count === undefined ? [] : [{ name: 'count', valueInteger: count }],
    },
    ...(scopes ? { scopes } : {}),
  });
}

const numbersOf = (parameters: any): string[] =>
  parameters.parameter.filter((p: any) => p.name === 'number').map((p: any) => p.valueIdentifier.value);

function patient(app: TestApp, number: string): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: app.config.INSURANCE_NUMBER_SYSTEM, value: number }],
    name: [{ family: 'Njoroge', given: ['Wanjiru'] }],
    birthDate: '1988-02-11',
  };
}

async function allocationOf(app: TestApp, number: string): Promise<InsuranceNumberAllocation | null> {
  return app.database.orm.em.fork().findOne(InsuranceNumberAllocation, { number });
}

t.test('a block holds unused numbers valid under the scheme rules, allocated to the officer', async (t) => {
  const officer = await enrolmentOfficer(kinga);
  const res = await allocate(kinga, officer.id, 40);
  t.equal(res.status, 200, JSON.stringify(res.body));
  const block = validFhir(t, res);
  t.equal(block.resourceType, 'Parameters');
  t.same(block.parameter.find((p: any) => p.name === 'officer').valueReference, {
    reference: `Practitioner/${officer.id}`,
  });
  const blockId = block.parameter.find((p: any) => p.name === 'block').valueId;
  const numbers = numbersOf(block);
  t.equal(numbers.length, 40);
  t.equal(new Set(numbers).size, 40, 'no number twice');
  const rules = insuranceNumberRules(kinga.config);
  t.same(
    numbers.filter((n) => insuranceNumberProblem(n, rules) !== undefined || n.startsWith('0')),
    [],
    'every number has 10 digits, no leading zero and a valid Luhn digit',
  );
  t.ok(
    block.parameter
      .filter((p: any) => p.name === 'number')
      .every((p: any) => p.valueIdentifier.system === kinga.config.INSURANCE_NUMBER_SYSTEM),
  );
  const stored = await allocationOf(kinga, numbers[0]!);
  t.equal(stored?.blockId, blockId);
  t.equal(stored?.officer?.id, officer.id);
  t.equal(stored?.insuree, null, 'unused');

  const next = numbersOf(validFhir(t, await allocate(kinga, officer.id, 40)));
  t.same(
    next.filter((n) => numbers.includes(n)),
    [],
    'a later block shares no number with an earlier one',
  );
});

t.test('a number of a block is accepted at enrolment once', async (t) => {
  const officer = await enrolmentOfficer(kinga);
  const [number] = numbersOf((await allocate(kinga, officer.id, 1)).body);
  const first = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(kinga, number!) });
  t.equal(first.status, 201);
  const used = await allocationOf(kinga, number!);
  t.equal(used?.insuree?.id, first.body.id, 'the card is used by that insuree');
  t.ok(used?.usedAt);

  const again = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(kinga, number!) });
  t.equal(again.status, 409);
  const issue = validFhir(t, again).issue[0];
  t.same(issue.expression, ['Patient.identifier']);
  t.match(issue.diagnostics, /already used at an enrolment/);

  t.equal((await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Patient/${first.body.id}` })).status, 204);
  const afterRetirement = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: patient(kinga, number!),
  });
  t.equal(afterRetirement.status, 409, 'a pre-printed number stays used when its insuree retires');
  t.equal((await allocationOf(kinga, number!))?.insuree?.id, first.body.id);
});

t.test('a block goes to a working enrolment officer, with a sane size', async (t) => {
  const admin = await created(kinga, 'Practitioner', practitioner('CA'));
  const toAdmin = await allocate(kinga, admin.id, 5);
  t.equal(toAdmin.status, 422);
  const issue = validFhir(t, toAdmin).issue[0];
  t.same(issue.expression, ['Practitioner']);
  t.match(issue.diagnostics, /enrolment officer who still works/);

  const retired = await enrolmentOfficer(kinga);
  const role = await kinga.fhir({ method: 'GET', url: `/fhir/R4/PractitionerRole/${retired.id}` });
  const ended = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/PractitionerRole/${retired.id}`,
    body: { ...role.body, period: { end: '2020-12-31' } },
  });
  t.equal(ended.status, 200);
  t.equal((await allocate(kinga, retired.id, 5)).status, 422, 'an officer past the end of work gets none');

  const officer = await enrolmentOfficer(kinga);
  for (const [count, status, expression] of [
    [0, 422, "Parameters.parameter.where(name='count')"],
    [10_001, 422, "Parameters.parameter.where(name='count')"],
    [undefined, 400, "Parameters.parameter.where(name='count')"],
  ] as const) {
    const res = await allocate(kinga, officer.id, count);
    t.equal(res.status, status, `count ${count}`);
    t.same(validFhir(t, res).issue[0].expression, [expression], `count ${count}`);
  }
  const unknown = await allocate(kinga, '01a2a000-0000-7000-8000-000000000000', 5);
  t.equal(unknown.status, 404);
  const readOnly = await allocate(kinga, officer.id, 5, 'system/Practitioner.rs');
  t.equal(readOnly.status, 403, 'allocating needs system/Practitioner.u');
  validFhir(t, readOnly);
});

t.test('the operation is declared in the CapabilityStatement with its OperationDefinition', async (t) => {
  const statement = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: '/fhir/R4/metadata', anonymous: true }),
  );
  const resource = statement.rest[0].resource.find((r: any) => r.type === 'Practitioner');
  t.same(
    resource.operation.map((o: any) => [o.name, o.definition]),
    [['allocate-insurance-numbers', OPERATION]],
  );
  const definition = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/OperationDefinition/Practitioner-allocate-insurance-numbers',
    anonymous: true,
  });
  t.equal(definition.status, 200);
  t.equal(validFhir(t, definition).url, OPERATION);
  t.same(definition.body.resource, ['Practitioner']);
});

t.test('a small number space: taken numbers are skipped and exhaustion is reported', async (t) => {
  // Four characters with a modulo-7 check digit: 900 possible numbers, which a test can exhaust.
  const small = await buildTestApp(t, {
    INSURANCE_NUMBER_LENGTH: '4',
    INSURANCE_NUMBER_CHECK_DIGIT: 'modulo',
  });
  const taken = `512${512 % 7}`;
  const existing = await small.fhir({ method: 'POST', url: '/fhir/R4/Patient', body: patient(small, taken) });
  t.ok([201, 409].includes(existing.status), 'the number is an insuree’s (created here or before)');
  const officer = await enrolmentOfficer(small);
  const tooMany = await allocate(small, officer.id, 900);
  t.equal(tooMany.status, 422);
  const message = validFhir(t, tooMany).issue[0].diagnostics as string;
  const available = Number(/Only (\d+) unused/.exec(message)?.[1]);
  t.ok(available < 900, `at most 899 are left (${available})`);

  const rest = numbersOf(validFhir(t, await allocate(small, officer.id, available)));
  t.equal(new Set(rest).size, available, 'every remaining number, once');
  t.notOk(rest.includes(taken), "an insuree's number is never allocated");
  const none = await allocate(small, officer.id, 1);
  t.equal(none.status, 422, 'nothing is left');
  t.match(validFhir(t, none).issue[0].diagnostics, /Only 0 unused/);
});

t.test('where the scheme requires pre-printed numbers, others are refused', async (t) => {
  const strict = await buildTestApp(t, { INSURANCE_NUMBER_REQUIRE_ALLOCATION: 'true' });
  const number = unique('N');
  const refused = await strict.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: patient(strict, number),
  });
  t.equal(refused.status, 422);
  const issue = validFhir(t, refused).issue[0];
  t.same(issue.expression, ['Patient.identifier']);
  t.match(issue.diagnostics, /was not allocated to an enrolment officer/);
  const search = await strict.fhir({ method: 'GET', url: `/fhir/R4/Patient?identifier=${number}` });
  t.same(validFhir(t, search).entry ?? [], [], 'nothing was stored');

  const officer = await enrolmentOfficer(strict);
  const [allocated] = numbersOf((await allocate(strict, officer.id, 1)).body);
  const accepted = await strict.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: patient(strict, allocated!),
  });
  t.equal(accepted.status, 201);
  validFhir(t, accepted);
});
