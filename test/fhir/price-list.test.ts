import t from 'tap';
import type { EntityManager } from '@mikro-orm/core';
import { facilityPricesOf } from '../../src/domain/medical/facility-price.ts';
import { MedicalItem } from '../../src/domain/medical/medical-item.entity.ts';
import { MedicalService } from '../../src/domain/medical/medical-service.entity.ts';
import { Organisation } from '../../src/domain/organisation/organisation.entity.ts';
import { sqlEligibilityReads } from '../../src/fhir/coverage-eligibility-request/eligibility-reads.sql.ts';
import { validateProfile } from '../../src/fhir/validation/profile-validator.ts';
import {
  activityDefinition,
  CODE_TYPE,
  created,
  EXT,
  extension,
  IG,
  KINGA,
  medication,
  PRICE_LIST_KIND,
  priceList,
  searchIds,
} from '../helpers/medical.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const PROFILE = `${KINGA}/StructureDefinition/kinga-price-list`;
const ORG_TYPE = 'http://terminology.hl7.org/CodeSystem/organization-type';

function location(type: string, parentId?: string): Record<string, unknown> {
  return {
    resourceType: 'Location',
    identifier: [{ type: CODE_TYPE, value: unique('PLL') }],
    name: unique('Place'),
    physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
    ...(parentId ? { partOf: { reference: `Location/${parentId}` } } : {}),
  };
}

const region = await created(kinga, 'Location', location('R'));
const district = await created(kinga, 'Location', location('D', region.id));
const ward = await created(kinga, 'Location', location('W', district.id));

/** A health facility in the district, pointing to the given lists. */
function facility(lists: { items?: string; services?: string } = {}): Record<string, unknown> {
  const concept = (system: string, code: string) => ({
    coding: [{ system: `${IG}/CodeSystem/${system}`, code }],
  });
  return {
    resourceType: 'Organization',
    extension: [
      {
        url: `${IG}/StructureDefinition/organization-legal-form`,
        valueCodeableConcept: concept('organization-legal-form', 'G'),
      },
      {
        url: `${IG}/StructureDefinition/organization-hf-level`,
        valueCodeableConcept: concept('organization-hf-level', 'C'),
      },
      {
        url: `${IG}/StructureDefinition/organization-hf-care-type`,
        valueCodeableConcept: concept('organization-hf-care-type', 'B'),
      },
      ...(lists.items
        ? [{ url: EXT.itemsPriceList, valueReference: { reference: `List/${lists.items}` } }]
        : []),
      ...(lists.services
        ? [{ url: EXT.servicesPriceList, valueReference: { reference: `List/${lists.services}` } }]
        : []),
    ],
    identifier: [{ type: CODE_TYPE, value: unique('HF') }],
    type: [{ coding: [{ system: ORG_TYPE, code: 'prov' }] }],
    name: 'Ultha Health Centre',
    address: [
      {
        extension: [
          {
            url: `${IG}/StructureDefinition/address-location-reference`,
            valueReference: { reference: `Location/${district.id}` },
          },
        ],
      },
    ],
  };
}

const entryIds = (list: any): string[] => (list.entry ?? []).map((e: any) => e.item.reference);

/**
 * The prices a facility applies on `date`, as eligibility and claims work them out: its price
 * lists' lines read by the SQL read (facilityLines), each priced against the register record.
 */
async function facilityPrices(
  em: EntityManager,
  facilityId: string,
  targets: { items?: string[]; services?: string[] },
  date: string,
) {
  const items = targets.items ?? [];
  const services = targets.services ?? [];
  const records = [
    ...(await em.find(MedicalItem, { id: { $in: items } })),
    ...(await em.find(MedicalService, { id: { $in: services } })),
  ];
  const facility = await em.findOneOrFail(Organisation, facilityId);
  const lines = await sqlEligibilityReads(em).facilityLines({
    itemsPriceListId: facility.itemsPriceList?.id ?? null,
    servicesPriceListId: facility.servicesPriceList?.id ?? null,
    itemIds: items,
    serviceIds: services,
  });
  return facilityPricesOf(lines, records, date);
}

async function facilityPrice(
  em: EntityManager,
  facilityId: string,
  target: { item: string } | { service: string },
  date: string,
) {
  const id = 'item' in target ? target.item : target.service;
  const targets = 'item' in target ? { items: [id] } : { services: [id] };
  return (await facilityPrices(em, facilityId, targets, date)).get(id);
}

t.test('a price list of items: published as a List with overrules, read, updated, history', async (t) => {
  const a = await created(
    kinga,
    'Medication',
    medication(
      { identifier: [{ system: `${KINGA}/NamingSystem/medical-item-code`, value: unique('A') }] },
      10,
    ),
  );
  const b = await created(
    kinga,
    'Medication',
    medication(
      { identifier: [{ system: `${KINGA}/NamingSystem/medical-item-code`, value: unique('B') }] },
      20,
    ),
  );
  const body = priceList(
    'items',
    [{ reference: `Medication/${b.id}` }, { reference: `Medication/${a.id}`, overrule: 8.5 }],
    {
      subject: { reference: `Location/${region.id}` },
      extension: [{ url: EXT.priceListValidFrom, valueDate: '2026-01-01' }],
    },
  );
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/List', body });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const list = validFhir(t, res);
  t.same(list.meta.profile, [PROFILE]);
  t.equal(list.status, 'current');
  t.equal(list.mode, 'working');
  t.equal(list.title, body['title']);
  t.same(list.code, { coding: [{ system: PRICE_LIST_KIND, code: 'items', display: 'Medical items' }] });
  t.same(list.subject, { reference: `Location/${region.id}` });
  t.same(extension(list, EXT.priceListValidFrom), { url: EXT.priceListValidFrom, valueDate: '2026-01-01' });
  t.same(
    list.entry,
    [
      {
        extension: [{ url: EXT.priceOverrule, valueMoney: { value: 8.5 } }],
        item: { reference: `Medication/${a.id}`, display: `${a.identifier[1].value} Paracetamol 500 mg` },
      },
      { item: { reference: `Medication/${b.id}`, display: `${b.identifier[1].value} Paracetamol 500 mg` } },
    ],
    'entries in code order, the overrule on its entry',
  );
  t.same(validateProfile(list, PROFILE), []);
  const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/List/${list.id}` });
  t.same(validFhir(t, read), list);

  // Drop a, change nothing else: a new version with one entry.
  const changed = { ...list, entry: [list.entry[1]] };
  const put = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/List/${list.id}`,
    body: changed,
    headers: { 'if-match': 'W/"1"' },
  });
  t.equal(put.status, 200);
  const v2 = validFhir(t, put);
  t.equal(v2.meta.versionId, '2');
  t.same(entryIds(v2), [`Medication/${b.id}`]);
  const v1 = await kinga.fhir({ method: 'GET', url: `/fhir/R4/List/${list.id}/_history/1` });
  t.same(entryIds(validFhir(t, v1)), [`Medication/${a.id}`, `Medication/${b.id}`]);
  const history = await kinga.fhir({ method: 'GET', url: `/fhir/R4/List/${list.id}/_history` });
  t.equal(validFhir(t, history).entry.length, 2);

  // A retired item leaves every list: the list gets a new version without it.
  t.equal((await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Medication/${b.id}` })).status, 204);
  const after = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/List/${list.id}` }));
  t.equal(after.meta.versionId, '3');
  t.same(after.entry, undefined);

  const kind = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/List/${list.id}`,
    body: { ...after, code: { coding: [{ system: PRICE_LIST_KIND, code: 'services' }] } },
  });
  t.equal(kind.status, 422);
  t.same(validFhir(t, kind).issue[0].expression, ['List.code']);

  t.equal((await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/List/${list.id}` })).status, 204);
  t.equal((await kinga.fhir({ method: 'GET', url: `/fhir/R4/List/${list.id}` })).status, 410);
});

t.test('bad price lists are refused naming the element; nothing is stored', async (t) => {
  const item = await created(kinga, 'Medication', medication());
  const service = await created(kinga, 'ActivityDefinition', activityDefinition());
  const cases: [string, Record<string, unknown>, number, string][] = [
    [
      'a service in a list of items',
      priceList('items', [{ reference: `ActivityDefinition/${service.id}` }]),
      422,
      'List.entry',
    ],
    [
      'an item in a list of services',
      priceList('services', [{ reference: `Medication/${item.id}` }]),
      422,
      'List.entry',
    ],
    [
      'an item listed twice',
      priceList('items', [
        { reference: `Medication/${item.id}` },
        { reference: `Medication/${item.id}`, overrule: 1 },
      ]),
      422,
      'List.entry',
    ],
    [
      'an item that does not exist',
      priceList('items', [{ reference: `Medication/${service.id}` }]),
      422,
      'List.entry.item',
    ],
    [
      'an entry that is not an item or a service',
      priceList('items', [{ reference: `Patient/${item.id}` }]),
      422,
      'List.entry[0].item',
    ],
    [
      'a negative overrule',
      priceList('items', [{ reference: `Medication/${item.id}`, overrule: -2 }]),
      422,
      `List.entry.extension('${EXT.priceOverrule}')`,
    ],
    [
      'a list for a ward',
      priceList('items', [], { subject: { reference: `Location/${ward.id}` } }),
      422,
      'List.subject',
    ],
    ['no kind', priceList('items', [], { code: undefined }), 422, 'List.code'],
    [
      'an unknown kind',
      priceList('items', [], { code: { coding: [{ system: PRICE_LIST_KIND, code: 'drugs' }] } }),
      422,
      'List.code',
    ],
    ['no name', priceList('items', [], { title: undefined }), 422, 'List.title'],
    ['a retired status', priceList('items', [], { status: 'retired' }), 422, 'List.status'],
  ];
  for (const [label, body, status, expression] of cases) {
    const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/List', body });
    t.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
    const outcome = validFhir(t, res, label);
    t.ok(
      outcome.issue.some((i: any) => i.expression?.[0]?.startsWith(expression)),
      `${label} names ${expression}: ${JSON.stringify(outcome.issue)}`,
    );
    const title = body['title'] as string | undefined;
    if (title) {
      t.same(
        await searchIds(kinga, `List?title=${encodeURIComponent(title)}`),
        [],
        `${label}: nothing stored`,
      );
    }
  }
});

t.test('a facility points to its price lists; searches find lists by what they hold', async (t) => {
  const item = await created(kinga, 'Medication', medication());
  const service = await created(kinga, 'ActivityDefinition', activityDefinition());
  const items = await created(
    kinga,
    'List',
    priceList('items', [{ reference: `Medication/${item.id}` }], {
      subject: { reference: `Location/${district.id}` },
    }),
  );
  const services = await created(
    kinga,
    'List',
    priceList('services', [{ reference: `ActivityDefinition/${service.id}` }]),
  );

  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Organization',
    body: facility({ items: items.id, services: services.id }),
  });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const hf = validFhir(t, res);
  t.same(extension(hf, EXT.itemsPriceList).valueReference, { reference: `List/${items.id}` });
  t.same(extension(hf, EXT.servicesPriceList).valueReference, { reference: `List/${services.id}` });
  t.same(validateProfile(hf, `${KINGA}/StructureDefinition/kinga-organization`), []);

  const swapped = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Organization',
    body: facility({ items: services.id }),
  });
  t.equal(swapped.status, 422);
  t.same(validFhir(t, swapped).issue[0].expression, [`Organization.extension('${EXT.itemsPriceList}')`]);
  const unknown = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Organization',
    body: facility({ services: hf.id }),
  });
  t.equal(unknown.status, 422);
  t.same(validFhir(t, unknown).issue[0].expression, [`Organization.extension('${EXT.servicesPriceList}')`]);

  const inUse = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/List/${items.id}` });
  t.equal(inUse.status, 422);
  t.equal(validFhir(t, inUse).issue[0].details.coding[0].code, 'price-list.in-use');

  t.same(await searchIds(kinga, `List?title=${encodeURIComponent(items.title)}`), [items.id]);
  t.same(await searchIds(kinga, `List?title=${unique('none')}`), []);
  t.same(await searchIds(kinga, `List?item=Medication/${item.id}`), [items.id]);
  t.same(await searchIds(kinga, `List?item=ActivityDefinition/${service.id}`), [services.id]);
  const unlisted = await created(kinga, 'Medication', medication());
  t.same(await searchIds(kinga, `List?item=Medication/${unlisted.id}`), []);
  t.same(await searchIds(kinga, `List?facility=Organization/${hf.id}&_sort=code`), [items.id, services.id]);
  t.same(await searchIds(kinga, `List?facility=Organization/${hf.id}&code=services`), [services.id]);
  t.same(
    await searchIds(
      kinga,
      `List?facility=Organization/${hf.id}&code=${encodeURIComponent(`${PRICE_LIST_KIND}|items`)}`,
    ),
    [items.id],
  );
  t.same(await searchIds(kinga, `List?facility=Organization/${hf.id}&status=current&_sort=code`), [
    items.id,
    services.id,
  ]);
  t.same(await searchIds(kinga, `List?facility=Organization/${hf.id}&status=retired`), []);
  t.same(await searchIds(kinga, `List?facility=Organization/${hf.id}&subject=Location/${district.id}`), [
    items.id,
  ]);
  t.same(await searchIds(kinga, `List?facility=Organization/${hf.id}&subject=Location/${region.id}`), []);
  t.same(await searchIds(kinga, `List?facility=Organization/${items.id}`), []);

  // Pointing the facility elsewhere frees the list.
  const moved = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/Organization/${hf.id}`,
    body: { ...facility({ services: services.id }), id: hf.id, identifier: hf.identifier },
  });
  t.equal(moved.status, 200);
  t.equal(extension(validFhir(t, moved), EXT.itemsPriceList), undefined);
  t.equal((await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/List/${items.id}` })).status, 204);
});

t.test('the price a facility applies: its overrule, else the register price, else none', async (t) => {
  const overruled = await created(kinga, 'Medication', medication({}, 10));
  const plain = await created(kinga, 'Medication', medication({}, 12.25));
  const unlisted = await created(kinga, 'Medication', medication({}, 3));
  const service = await created(kinga, 'ActivityDefinition', activityDefinition({}, 40));
  const items = await created(
    kinga,
    'List',
    priceList(
      'items',
      [{ reference: `Medication/${overruled.id}`, overrule: 7.5 }, { reference: `Medication/${plain.id}` }],
      { extension: [{ url: EXT.priceListValidFrom, valueDate: '2026-01-01' }] },
    ),
  );
  const services = await created(
    kinga,
    'List',
    priceList('services', [{ reference: `ActivityDefinition/${service.id}`, overrule: 0 }]),
  );
  const hf = await created(kinga, 'Organization', facility({ items: items.id, services: services.id }));
  const bare = await created(kinga, 'Organization', facility());

  const em = kinga.database.orm.em.fork();
  t.same(await facilityPrice(em, hf.id, { item: overruled.id }, '2026-03-01'), {
    price: '7.50',
    origin: 'overrule',
  });
  t.same(await facilityPrice(em, hf.id, { item: plain.id }, '2026-03-01'), {
    price: '12.25',
    origin: 'register',
  });
  t.equal(await facilityPrice(em, hf.id, { item: unlisted.id }, '2026-03-01'), undefined, 'not in the list');
  t.equal(
    await facilityPrice(em, hf.id, { item: overruled.id }, '2025-12-31'),
    undefined,
    'before the list applies',
  );
  t.same(
    await facilityPrice(em, hf.id, { service: service.id }, '2025-12-31'),
    { price: '0.00', origin: 'overrule' },
    'a zero overrule is a price',
  );
  t.equal(
    await facilityPrice(em, hf.id, { service: overruled.id }, '2026-03-01'),
    undefined,
    'an item is not a service',
  );
  t.equal(
    await facilityPrice(em, bare.id, { item: plain.id }, '2026-03-01'),
    undefined,
    'a facility without lists',
  );

  // A change of the register price shows through; a new overrule replaces the old one.
  const cheaper = structuredClone(plain);
  extension(cheaper, EXT.unitPrice).valueMoney.value = 11;
  t.equal(
    (await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Medication/${plain.id}`, body: cheaper })).status,
    200,
  );
  const list = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/List/${items.id}` }));
  list.entry[0].extension[0].valueMoney.value = 6;
  t.equal((await kinga.fhir({ method: 'PUT', url: `/fhir/R4/List/${items.id}`, body: list })).status, 200);
  const fresh = kinga.database.orm.em.fork();
  t.same(await facilityPrice(fresh, hf.id, { item: plain.id }, '2026-03-01'), {
    price: '11.00',
    origin: 'register',
  });
  t.same(await facilityPrice(fresh, hf.id, { item: overruled.id }, '2026-03-01'), {
    price: '6.00',
    origin: 'overrule',
  });

  // Several lines at once (an enquiry or a claim): the same answers, unlisted ones absent.
  const many = await facilityPrices(
    fresh,
    hf.id,
    { items: [plain.id, overruled.id, unlisted.id], services: [service.id] },
    '2026-03-01',
  );
  t.same(Object.fromEntries(many), {
    [plain.id]: { price: '11.00', origin: 'register' },
    [overruled.id]: { price: '6.00', origin: 'overrule' },
    [service.id]: { price: '0.00', origin: 'overrule' },
  });
});

t.test('one transaction registers items and the list that prices them', async (t) => {
  const urn = `urn:uuid:${crypto.randomUUID()}`;
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4',
    body: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: urn, resource: medication({}, 4), request: { method: 'POST', url: 'Medication' } },
        {
          resource: priceList('items', [{ reference: urn, overrule: 3.5 }]),
          request: { method: 'POST', url: 'List' },
        },
      ],
    },
  });
  t.equal(res.status, 200, JSON.stringify(res.body));
  const bundle = validFhir(t, res);
  const [item, list] = bundle.entry.map((e: any) => e.resource);
  t.same(list.entry, [
    {
      extension: [{ url: EXT.priceOverrule, valueMoney: { value: 3.5 } }],
      item: { reference: `Medication/${item.id}`, display: `${item.identifier[1].value} Paracetamol 500 mg` },
    },
  ]);
});
