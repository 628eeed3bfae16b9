import t from 'tap';
import { validateProfile } from '../../src/fhir/validation/profile-validator.ts';
import {
  activityDefinition,
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
  SERVICE_CODE,
  USAGE_TYPE,
} from '../helpers/medical.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const PROFILE = `${KINGA}/StructureDefinition/kinga-activity-definition`;
const WORKFLOW = `${IG}/CodeSystem/activity-definition-usage-context-workflow-type`;
const CATEGORY = `${KINGA}/CodeSystem/service-category`;

const context = (resource: any, code: string): any =>
  resource.useContext.find((c: any) => c.code.code === code);
const codes = (usage: any): string[] => usage.valueCodeableConcept.coding.map((c: any) => c.code);
const workflow = (code: string) => ({
  code: { system: USAGE_TYPE, code: 'workflow' },
  valueCodeableConcept: { coding: [{ system: CATEGORY, code }] },
});

t.test('the openIMIS ActivityDefinition fixture is accepted and published in the IG shape', async (t) => {
  const body = fixture('activity-definition-example-1.json');
  const code = unique('TEST');
  body.identifier[1].value = code;
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/ActivityDefinition', body });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const service = validFhir(t, res);
  t.not(service.id, '1234-1234-1234', 'the server assigns the id');
  t.same(service.identifier, [
    {
      type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'UUID' }] },
      value: service.id,
    },
    { use: 'usual', type: CODE_TYPE, system: SERVICE_CODE, value: code },
  ]);
  t.equal(service.name, code, 'the code is the machine name, as openIMIS');
  t.equal(service.title, 'Test Service');
  t.equal(service.status, 'active');
  t.same(extension(service, EXT.unitPrice).valueMoney, { value: 1 });
  t.same(extension(service, EXT.serviceLevel).valueCodeableConcept, {
    coding: [{ system: `${IG}/CodeSystem/activity-definition-level`, code: 'D', display: 'Day of stay' }],
    text: 'Day of stay',
  });
  t.same(service.topic, [
    {
      coding: [
        { system: `${IG}/CodeSystem/activity-definition-service-type`, code: 'C', display: 'Curative' },
      ],
    },
  ]);
  t.same(codes(context(service, 'gender')), ['male', 'female']);
  t.same(codes(context(service, 'age')), ['adult', 'child']);
  t.same(context(service, 'workflow').valueCodeableConcept.coding, [
    { system: WORKFLOW, code: 'A', display: 'Antenatal' },
    { system: CATEGORY, code: 'A', display: 'Antenatal' },
  ]);
  t.same(context(service, 'venue').valueCodeableConcept.coding, [
    { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'IMP',
      display: 'inpatient encounter',
    },
  ]);
  t.same(service.timingTiming, { repeat: { frequency: 1, period: 1, periodUnit: 'd' } });
  t.same(validateProfile(service, PROFILE), [], 'the published ActivityDefinition conforms to its profile');
});

t.test('create, read, update, history, vread, delete', async (t) => {
  const service = await created(
    kinga,
    'ActivityDefinition',
    activityDefinition({
      useContext: [workflow('H')],
      effectivePeriod: { start: '2026-01-01' },
      timingTiming: { repeat: { frequency: 1, period: 2, periodUnit: 'wk' } },
      extension: [
        { url: EXT.unitPrice, valueMoney: { value: 250.5 } },
        {
          url: EXT.serviceLevel,
          valueCodeableConcept: {
            coding: [{ system: `${IG}/CodeSystem/activity-definition-level`, code: 'H' }],
          },
        },
        { url: EXT.maximumQuantity, valuePositiveInt: 1 },
        { url: EXT.manualPrice, valueBoolean: true },
      ],
    }),
  );
  t.same(
    context(service, 'workflow').valueCodeableConcept.coding,
    [{ system: CATEGORY, code: 'H', display: 'Hospitalization' }],
    'H is not in the IG workflow codes: only the Kinga coding',
  );
  t.same(service.effectivePeriod, { start: '2026-01-01' });
  t.same(service.timingTiming.repeat, { frequency: 1, period: 14, periodUnit: 'd' }, 'two weeks are 14 days');
  t.equal(extension(service, EXT.maximumQuantity).valuePositiveInt, 1);
  t.equal(extension(service, EXT.manualPrice).valueBoolean, true);
  t.same(codes(context(service, 'venue')), ['AMB', 'IMP'], 'no venue: both');

  const changed = structuredClone(service);
  changed.title = 'Hospital stay';
  changed.effectivePeriod = { start: '2026-01-01', end: '2026-06-30' };
  const put = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/ActivityDefinition/${service.id}`,
    body: changed,
    headers: { 'if-match': 'W/"1"' },
  });
  t.equal(put.status, 200);
  const v2 = validFhir(t, put);
  t.equal(v2.meta.versionId, '2');
  t.equal(v2.title, 'Hospital stay');
  const v1 = await kinga.fhir({ method: 'GET', url: `/fhir/R4/ActivityDefinition/${service.id}/_history/1` });
  t.equal(validFhir(t, v1).title, 'General consultation');
  const same = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/ActivityDefinition/${service.id}`,
    body: v2,
  });
  t.equal(validFhir(t, same).meta.versionId, '2', 'an identical PUT makes no new version');

  t.equal(
    (await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/ActivityDefinition/${service.id}` })).status,
    204,
  );
  t.equal(
    (await kinga.fhir({ method: 'GET', url: `/fhir/R4/ActivityDefinition/${service.id}` })).status,
    410,
  );
  const history = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/ActivityDefinition/${service.id}/_history`,
  });
  t.same(
    validFhir(t, history).entry.map((e: any) => e.request.method),
    ['DELETE', 'PUT', 'POST'],
  );
});

t.test('a package publishes its components, which must exist', async (t) => {
  const item = await created(kinga, 'Medication', medication());
  const sub = await created(kinga, 'ActivityDefinition', activityDefinition());
  const component = (kind: 'item' | 'service', reference: Record<string, unknown>, quantity?: number) => ({
    url: 'component',
    extension: [
      { url: kind, valueReference: reference },
      ...(quantity === undefined ? [] : [{ url: 'quantity', valueDecimal: quantity }]),
    ],
  });
  const withPackage = (type: string, parts: unknown[], code = unique('PK')) =>
    activityDefinition({
      identifier: [{ system: SERVICE_CODE, value: code }],
      extension: [
        ...(activityDefinition()['extension'] as unknown[]),
        { url: EXT.servicePackage, extension: [{ url: 'type', valueCode: type }, ...parts] },
      ],
    });

  const pkg = await created(
    kinga,
    'ActivityDefinition',
    withPackage('P', [
      component('item', { reference: `Medication/${item.id}` }, 2),
      component('service', { identifier: { system: SERVICE_CODE, value: sub.identifier[1].value } }),
    ]),
  );
  validFhir(t, { body: pkg } as any);
  t.same(extension(pkg, EXT.servicePackage).extension, [
    { url: 'type', valueCode: 'P' },
    {
      url: 'component',
      extension: [
        {
          url: 'item',
          valueReference: {
            reference: `Medication/${item.id}`,
            identifier: { system: ITEM_CODE, value: item.identifier[1].value },
            display: 'Paracetamol 500 mg',
          },
        },
        { url: 'quantity', valueDecimal: 2 },
      ],
    },
    {
      url: 'component',
      extension: [
        {
          url: 'service',
          valueReference: {
            reference: `ActivityDefinition/${sub.id}`,
            identifier: { system: SERVICE_CODE, value: sub.identifier[1].value },
            display: 'General consultation',
          },
        },
        { url: 'quantity', valueDecimal: 1 },
      ],
    },
  ]);
  t.same(validateProfile(pkg, PROFILE), [], 'the package conforms to the profile');

  const packagePath = `ActivityDefinition.extension('${EXT.servicePackage}')`;
  const refused: [string, Record<string, unknown>, string][] = [
    [
      'a component that does not exist',
      withPackage('P', [component('item', { reference: `Medication/${sub.id}` })]),
      'medical.item-not-found',
    ],
    ['a package without components', withPackage('F', []), 'medical.package-components-required'],
    [
      'a simple service with components',
      withPackage('S', [component('item', { reference: `Medication/${item.id}` })]),
      'medical.package-components-not-allowed',
    ],
    [
      'a component listed twice',
      withPackage('P', [
        component('item', { reference: `Medication/${item.id}` }),
        component('item', { identifier: { system: ITEM_CODE, value: item.identifier[1].value } }),
      ]),
      'medical.package-component-duplicate',
    ],
    [
      'a quantity of 0',
      withPackage('P', [component('item', { reference: `Medication/${item.id}` }, 0)]),
      'medical.package-component-quantity',
    ],
  ];
  for (const [label, body, code] of refused) {
    const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/ActivityDefinition', body });
    t.equal(res.status, 422, label);
    const issue = validFhir(t, res, label).issue[0];
    t.equal(issue.details.coding[0].code, code, label);
    t.same(issue.expression, [packagePath], label);
    t.same(
      await searchIds(kinga, `ActivityDefinition?identifier=${(body['identifier'] as any[])[0].value}`),
      [],
      `${label}: nothing stored`,
    );
  }

  const itself = structuredClone(pkg);
  extension(itself, EXT.servicePackage).extension.push(
    component('service', { reference: `ActivityDefinition/${pkg.id}` }),
  );
  const selfish = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/ActivityDefinition/${pkg.id}`,
    body: itself,
  });
  t.equal(selfish.status, 422);
  t.equal(validFhir(t, selfish).issue[0].details.coding[0].code, 'medical.package-contains-itself');

  // A component cannot be retired, nor lose its code, while the package lists it.
  const retire = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Medication/${item.id}` });
  t.equal(retire.status, 422);
  t.equal(validFhir(t, retire).issue[0].details.coding[0].code, 'medical.component-in-use');
  const recode = { ...item, identifier: [{ system: ITEM_CODE, value: unique('NEW') }] };
  const renamed = await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Medication/${item.id}`, body: recode });
  t.equal(renamed.status, 422);
  t.same(validFhir(t, renamed).issue[0].expression, ['Medication.identifier']);
  t.equal(
    (await kinga.fhir({ method: 'GET', url: `/fhir/R4/Medication/${item.id}` })).status,
    200,
    'still there',
  );
});

t.test('every search parameter finds the service and only it', async (t) => {
  const title = unique('Scan');
  const a = await created(
    kinga,
    'ActivityDefinition',
    activityDefinition({ title: `${title} abdomen`, useContext: [workflow('S')] }),
  );
  const b = await created(
    kinga,
    'ActivityDefinition',
    activityDefinition({
      title: `${title} chest`,
      topic: [{ coding: [{ system: `${IG}/CodeSystem/activity-definition-service-type`, code: 'P' }] }],
      extension: [
        { url: EXT.unitPrice, valueMoney: { value: 5 } },
        {
          url: EXT.serviceLevel,
          valueCodeableConcept: {
            coding: [{ system: `${IG}/CodeSystem/activity-definition-level`, code: 'S' }],
          },
        },
      ],
    }),
  );
  const code = a.identifier[1].value;
  t.same(await searchIds(kinga, `ActivityDefinition?identifier=${code}`), [a.id]);
  t.same(
    await searchIds(kinga, `ActivityDefinition?identifier=${encodeURIComponent(`${SERVICE_CODE}|${code}`)}`),
    [a.id],
  );
  t.same(await searchIds(kinga, `ActivityDefinition?identifier=${a.id}`), [a.id]);
  t.same(await searchIds(kinga, `ActivityDefinition?identifier=${unique('NONE')}`), []);
  t.same(await searchIds(kinga, `ActivityDefinition?name=${code}`), [a.id]);
  t.same(await searchIds(kinga, `ActivityDefinition?name=${unique('NONE')}`), []);
  t.same(await searchIds(kinga, `ActivityDefinition?title=${title}&_sort=title`), [a.id, b.id]);
  t.same(await searchIds(kinga, `ActivityDefinition?title=${unique('none')}`), []);
  t.same(await searchIds(kinga, `ActivityDefinition?title=${title}&status=active&_sort=title`), [a.id, b.id]);
  t.same(await searchIds(kinga, `ActivityDefinition?title=${title}&status=retired`), []);
  t.same(await searchIds(kinga, `ActivityDefinition?title=${title}&topic=C`), [a.id]);
  t.same(await searchIds(kinga, `ActivityDefinition?title=${title}&topic=P`), [b.id]);
  t.same(await searchIds(kinga, `ActivityDefinition?title=${title}&category=S`), [a.id]);
  t.same(
    await searchIds(
      kinga,
      `ActivityDefinition?title=${title}&category=${encodeURIComponent(`${WORKFLOW}|S`)}`,
    ),
    [a.id],
  );
  t.same(
    await searchIds(kinga, `ActivityDefinition?title=${title}&category=O`),
    [b.id],
    'no category: other',
  );
  t.same(await searchIds(kinga, `ActivityDefinition?title=${title}&category=D`), []);
  t.same(await searchIds(kinga, `ActivityDefinition?title=${title}&level=S`), [b.id]);
  t.same(await searchIds(kinga, `ActivityDefinition?title=${title}&level=H`), []);
});

t.test('bad services are refused naming the element; nothing is stored', async (t) => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    [
      'no level',
      activityDefinition({ extension: [{ url: EXT.unitPrice, valueMoney: { value: 1 } }] }),
      422,
      `ActivityDefinition.extension('${EXT.serviceLevel}')`,
    ],
    ['no topic', activityDefinition({ topic: undefined }), 422, 'ActivityDefinition.topic'],
    [
      'an unknown category',
      activityDefinition({ useContext: [workflow('X')] }),
      422,
      'ActivityDefinition.useContext',
    ],
    [
      'an unknown venue',
      activityDefinition({
        useContext: [
          {
            code: { system: USAGE_TYPE, code: 'venue' },
            valueCodeableConcept: { coding: [{ code: 'EMER' }] },
          },
        ],
      }),
      422,
      'ActivityDefinition.useContext',
    ],
    [
      'a negative price',
      activityDefinition({}, -40),
      422,
      `ActivityDefinition.extension('${EXT.unitPrice}')`,
    ],
    [
      'a validity ending before it starts',
      activityDefinition({ effectivePeriod: { start: '2026-02-01', end: '2026-01-01' } }),
      422,
      'ActivityDefinition.effectivePeriod',
    ],
    ['no title', activityDefinition({ title: undefined }), 422, 'ActivityDefinition.title'],
    [
      'a frequency in months',
      activityDefinition({ timingTiming: { repeat: { period: 1, periodUnit: 'mo' } } }),
      422,
      'ActivityDefinition.timingTiming',
    ],
  ];
  for (const [label, body, status, expression] of cases) {
    const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/ActivityDefinition', body });
    t.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
    const outcome = validFhir(t, res, label);
    t.ok(
      outcome.issue.some((i: any) => i.expression?.[0]?.startsWith(expression)),
      `${label} names ${expression}`,
    );
    t.same(
      await searchIds(kinga, `ActivityDefinition?identifier=${(body['identifier'] as any[])[0].value}`),
      [],
      `${label}: nothing stored`,
    );
  }
  const first = await created(kinga, 'ActivityDefinition', activityDefinition());
  const duplicate = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/ActivityDefinition',
    body: activityDefinition({ identifier: first.identifier.slice(1) }),
  });
  t.equal(duplicate.status, 409);
  t.same(validFhir(t, duplicate).issue[0].expression, ['ActivityDefinition.identifier']);
});
