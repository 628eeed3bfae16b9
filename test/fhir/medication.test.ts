import t from 'tap';
import { validateProfile } from '../../src/fhir/validation/profile-validator.ts';
import {
  CODE_TYPE,
  created,
  EXT,
  extension,
  fixture,
  IG,
  ITEM_CODE,
  KINGA,
  medication,
  searchIds,
  USAGE_TYPE,
} from '../helpers/medical.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const PROFILE = `${KINGA}/StructureDefinition/kinga-medication`;

const usage = (resource: any, slice: string): any =>
  extension(resource, EXT.medicationUsage).extension.find((e: any) => e.url === slice).valueUsageContext;
const codes = (usageContext: any): string[] =>
  usageContext.valueCodeableConcept.coding.map((c: any) => c.code);

t.test('the openIMIS Medication fixture is accepted and published in the IG shape', async (t) => {
  const body = fixture('medication-example-1.json');
  const code = unique('TEST');
  body.identifier[0].value = code;
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Medication', body });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const item = validFhir(t, res);
  t.same(item.meta.profile, [PROFILE]);
  t.same(item.identifier, [
    { type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'UUID' }] }, value: item.id },
    { use: 'usual', type: CODE_TYPE, system: ITEM_CODE, value: code },
  ]);
  t.same(item.code, { text: 'TEST TABS 300MG' });
  t.same(item.form, { text: '1000TABLETS' });
  t.equal(item.status, 'active');
  t.same(
    extension(item, EXT.unitPrice).valueMoney,
    { value: 5.99 },
    'the price sent under CodeSystem/unit-price',
  );
  t.same(extension(item, EXT.medicationType).valueCodeableConcept.coding[0], {
    system: `${IG}/CodeSystem/medication-item-type`,
    code: 'D',
    display: 'Drug',
  });
  t.same(extension(item, EXT.medicationFrequency).valueTiming, {
    repeat: { frequency: 1, period: 3, periodUnit: 'd' },
  });
  t.same(codes(usage(item, 'Gender')), ['male', 'female']);
  t.same(codes(usage(item, 'Age')), ['adult', 'child']);
  t.same(codes(usage(item, 'CareType')), ['AMB', 'IMP'], 'both venues: care type B');
  t.equal(usage(item, 'CareType').code.system, USAGE_TYPE);
  t.equal(extension(item, EXT.medicationLevel).valueCodeableConcept.coding[0].code, 'M');
  t.same(validateProfile(item, PROFILE), [], 'the published Medication conforms to its profile');
});

t.test('create, read, update with If-Match, history, vread, delete', async (t) => {
  const body = medication({
    extension: [
      { url: EXT.unitPrice, valueMoney: { value: 2.5, currency: 'TZS' } },
      {
        url: EXT.medicationType,
        valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/medication-item-type`, code: 'M' }] },
      },
      {
        url: EXT.medicationUsage,
        extension: [
          {
            url: 'Gender',
            valueUsageContext: {
              code: { system: USAGE_TYPE, code: 'gender' },
              valueCodeableConcept: {
                coding: [{ system: 'http://hl7.org/fhir/administrative-gender', code: 'female' }],
              },
            },
          },
          {
            url: 'CareType',
            valueUsageContext: {
              code: { system: USAGE_TYPE, code: 'venue' },
              valueCodeableConcept: {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' }],
              },
            },
          },
        ],
      },
      { url: EXT.maximumQuantity, valuePositiveInt: 30 },
      { url: EXT.validity, valuePeriod: { start: '2026-01-01', end: '2026-12-31' } },
    ],
  });
  const item = await created(kinga, 'Medication', body);
  validFhir(t, { body: item } as any);
  t.same(codes(usage(item, 'Gender')), ['female']);
  t.same(codes(usage(item, 'Age')), ['adult', 'child'], 'no age context: every age');
  t.same(codes(usage(item, 'CareType')), ['IMP']);
  t.equal(extension(item, EXT.maximumQuantity).valuePositiveInt, 30);
  t.same(extension(item, EXT.validity).valuePeriod, { start: '2026-01-01', end: '2026-12-31' });
  t.same(extension(item, EXT.unitPrice).valueMoney, { value: 2.5 });
  t.equal(item.meta.versionId, '1');

  const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Medication/${item.id}` });
  t.same(validFhir(t, read), item);

  const changed = structuredClone(item);
  extension(changed, EXT.unitPrice).valueMoney.value = 3.75;
  changed.code.text = 'Gauze roll';
  const stale = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Medication/${item.id}`,
    body: changed,
    headers: { 'if-match': 'W/"7"' },
  });
  t.equal(stale.status, 412);
  const put = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Medication/${item.id}`,
    body: changed,
    headers: { 'if-match': 'W/"1"' },
  });
  t.equal(put.status, 200);
  const v2 = validFhir(t, put);
  t.equal(v2.meta.versionId, '2');
  t.same(extension(v2, EXT.unitPrice).valueMoney, { value: 3.75 });
  t.same(v2.code, { text: 'Gauze roll' });

  const v1 = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Medication/${item.id}/_history/1` });
  t.same(extension(validFhir(t, v1), EXT.unitPrice).valueMoney, { value: 2.5 });

  const removed = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Medication/${item.id}` });
  t.equal(removed.status, 204);
  const gone = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Medication/${item.id}` });
  t.equal(gone.status, 410);
  const history = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Medication/${item.id}/_history` });
  t.same(
    validFhir(t, history).entry.map((e: any) => e.request.method),
    ['DELETE', 'PUT', 'POST'],
  );
  t.same(
    await searchIds(kinga, `Medication?identifier=${item.identifier[1].value}`),
    [],
    'retired: not found',
  );
  // A retired item frees its code.
  const again = await created(
    kinga,
    'Medication',
    medication({ identifier: [{ system: ITEM_CODE, value: item.identifier[1].value }] }),
  );
  t.not(again.id, item.id);
});

t.test('every search parameter finds the item and only it', async (t) => {
  const name = unique('Amoxi');
  const drug = await created(kinga, 'Medication', medication({ code: { text: `${name} 250 mg` } }));
  const consumable = await created(
    kinga,
    'Medication',
    medication({
      code: { text: `${name} syringe` },
      extension: [
        { url: EXT.unitPrice, valueMoney: { value: 1 } },
        {
          url: EXT.medicationType,
          valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/medication-item-type`, code: 'M' }] },
        },
      ],
    }),
  );
  const code = drug.identifier[1].value;
  t.same(await searchIds(kinga, `Medication?identifier=${code}`), [drug.id]);
  t.same(await searchIds(kinga, `Medication?identifier=${encodeURIComponent(`${ITEM_CODE}|${code}`)}`), [
    drug.id,
  ]);
  t.same(await searchIds(kinga, `Medication?identifier=${drug.id}`), [drug.id], 'by UUID');
  t.same(await searchIds(kinga, `Medication?identifier=other|${code}`), []);
  t.same(await searchIds(kinga, `Medication?identifier=${unique('NONE')}`), []);
  t.same(await searchIds(kinga, `Medication?name=${name.toLowerCase()}&_sort=name`), [
    drug.id,
    consumable.id,
  ]);
  t.same(await searchIds(kinga, `Medication?name=${unique('nothing')}`), []);
  t.same(await searchIds(kinga, `Medication?name=${name}&type=D`), [drug.id]);
  t.same(await searchIds(kinga, `Medication?name=${name}&type=M`), [consumable.id]);
  t.same(await searchIds(kinga, `Medication?name=${name}&status=active&_sort=name`), [
    drug.id,
    consumable.id,
  ]);
  t.same(await searchIds(kinga, `Medication?name=${name}&status=inactive`), []);
  const unknown = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Medication?colour=red' });
  t.equal(unknown.status, 400);
});

t.test('bad items are refused with an OperationOutcome naming the element; nothing is stored', async (t) => {
  const cases: { label: string; body: Record<string, unknown>; status: number; expression: string }[] = [
    {
      label: 'no item type',
      body: medication({ extension: [{ url: EXT.unitPrice, valueMoney: { value: 1 } }] }),
      status: 422,
      expression: `Medication.extension('${EXT.medicationType}')`,
    },
    {
      label: 'an unknown item type',
      body: medication({
        extension: [
          { url: EXT.unitPrice, valueMoney: { value: 1 } },
          {
            url: EXT.medicationType,
            valueCodeableConcept: {
              coding: [{ system: `${IG}/CodeSystem/medication-item-type`, code: 'X' }],
            },
          },
        ],
      }),
      status: 422,
      expression: 'Medication.extension[1].valueCodeableConcept.coding[0].code',
    },
    {
      label: 'no price',
      body: medication({
        extension: [
          {
            url: EXT.medicationType,
            valueCodeableConcept: {
              coding: [{ system: `${IG}/CodeSystem/medication-item-type`, code: 'D' }],
            },
          },
        ],
      }),
      status: 422,
      expression: `Medication.extension('${EXT.unitPrice}')`,
    },
    {
      label: 'a negative price',
      body: medication({}, -1),
      status: 422,
      expression: `Medication.extension('${EXT.unitPrice}')`,
    },
    {
      label: 'a price in tenths of a cent',
      body: medication({}, 1.005),
      status: 422,
      expression: `Medication.extension('${EXT.unitPrice}')`,
    },
    {
      label: 'a validity ending before it starts',
      body: medication({
        extension: [
          ...(medication()['extension'] as unknown[]),
          { url: EXT.validity, valuePeriod: { start: '2026-06-01', end: '2026-01-01' } },
        ],
      }),
      status: 422,
      expression: `Medication.extension('${EXT.validity}')`,
    },
    {
      label: 'an unknown sex',
      body: medication({
        extension: [
          ...(medication()['extension'] as unknown[]),
          {
            url: EXT.medicationUsage,
            extension: [
              {
                url: 'Gender',
                valueUsageContext: {
                  code: { system: USAGE_TYPE, code: 'gender' },
                  valueCodeableConcept: { coding: [{ code: 'robot' }] },
                },
              },
            ],
          },
        ],
      }),
      status: 422,
      expression: `Medication.extension('${EXT.medicationUsage}')`,
    },
    {
      label: 'a maximum quantity of 0',
      body: medication({
        extension: [
          ...(medication()['extension'] as unknown[]),
          { url: EXT.maximumQuantity, valuePositiveInt: 0 },
        ],
      }),
      status: 422,
      expression: `Medication.extension('${EXT.maximumQuantity}')`,
    },
    {
      label: 'no code',
      body: medication({ identifier: [] }),
      status: 422,
      expression: 'Medication.identifier',
    },
    {
      label: 'an empty name',
      body: medication({ code: { text: ' ' } }),
      status: 422,
      expression: 'Medication.code.text',
    },
    {
      label: 'a status other than active',
      body: medication({ status: 'inactive' }),
      status: 422,
      expression: 'Medication.status',
    },
  ];
  for (const { label, body, status, expression } of cases) {
    const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Medication', body });
    t.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
    const outcome = validFhir(t, res, label);
    t.equal(outcome.resourceType, 'OperationOutcome');
    t.ok(
      outcome.issue.some((i: any) => i.expression?.includes(expression)),
      `${label} names ${expression}: ${JSON.stringify(outcome.issue)}`,
    );
    const code = (body['identifier'] as any[])[0]?.value;
    if (code) {
      t.same(await searchIds(kinga, `Medication?identifier=${code}`), [], `${label}: nothing stored`);
    }
  }
});

t.test('a code already used by a live item is a 409 naming the identifier', async (t) => {
  const first = await created(kinga, 'Medication', medication());
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Medication',
    body: medication({
      identifier: [{ system: ITEM_CODE, value: first.identifier[1].value }],
      code: { text: 'Other' },
    }),
  });
  t.equal(res.status, 409);
  const issue = validFhir(t, res).issue[0];
  t.same(issue.expression, ['Medication.identifier']);
  t.match(issue.diagnostics ?? issue.details.text, first.identifier[1].value);
  t.same(await searchIds(kinga, `Medication?identifier=${first.identifier[1].value}`), [first.id]);
});

t.test(
  "the medical registers' StructureDefinitions are served without a token and are valid R4",
  async (t) => {
    for (const id of [
      'kinga-medication',
      'kinga-activity-definition',
      'kinga-price-list',
      'kinga-diagnosis-code-system',
      'kinga-diagnosis-value-set',
      'maximum-quantity',
      'validity-period',
      'manual-price',
      'service-package',
      'price-list-valid-from',
      'price-overrule',
      'organization-items-price-list',
      'organization-services-price-list',
    ]) {
      const res = await kinga.fhir({
        method: 'GET',
        url: `/fhir/R4/StructureDefinition/${id}`,
        anonymous: true,
      });
      t.equal(res.status, 200, id);
      const definition = validFhir(t, res, id);
      t.equal(definition.url, `${KINGA}/StructureDefinition/${id}`);
    }
    const metadata = validFhir(
      t,
      await kinga.fhir({ method: 'GET', url: '/fhir/R4/metadata', anonymous: true }),
    );
    const types = metadata.rest[0].resource.map((r: any) => r.type);
    for (const type of ['Medication', 'ActivityDefinition', 'List', 'CodeSystem', 'ValueSet']) {
      t.ok(types.includes(type), `${type} is in the CapabilityStatement`);
    }
  },
);
