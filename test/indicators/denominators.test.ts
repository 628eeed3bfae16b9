import { randomInt } from 'node:crypto';
import t from 'tap';
import { derivedOrgUnitUid } from '../../src/integrations/dhis2/uids.ts';
import { buildTestApp, unique, type TestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const CODE_TYPE = { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] };
const DHIS2_UID = 'https://kinga.health/fhir/NamingSystem/dhis2-uid';
const DHIS2_CODE = 'https://kinga.health/fhir/NamingSystem/dhis2-code';
const ALPHANUMERICS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const newUid = () => `D${Array.from({ length: 10 }, () => ALPHANUMERICS[randomInt(62)]).join('')}`;

async function location(type: string, parentId?: string, identifiers: object[] = []): Promise<any> {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Location',
    body: {
      resourceType: 'Location',
      identifier: [{ type: CODE_TYPE, value: unique(type) }, ...identifiers],
      name: unique('Place '),
      physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
      ...(parentId ? { partOf: { reference: `Location/${parentId}` } } : {}),
    },
  });
  if (res.status !== 201) {
    throw new Error(JSON.stringify(res.body));
  }
  return res.body;
}

const region = await location('R');
const districtUid = newUid();
const district = await location('D', region.id, [{ system: DHIS2_UID, value: districtUid }]);
const wardCode = unique('OU_');
const ward = await location('W', district.id, [{ system: DHIS2_CODE, value: wardCode }]);
const unmapped = await location('W', district.id);

interface Push {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

async function push(
  body: unknown,
  options: { query?: string; authorization?: string; app?: TestApp; scopes?: string } = {},
): Promise<Push> {
  const app = options.app ?? kinga;
  const response = await app.app.inject({
    method: 'POST',
    url: `/dhis2/api/dataValueSets${options.query ? `?${options.query}` : ''}`,
    headers: {
      authorization:
        options.authorization ?? `Bearer ${await app.token(options.scopes ?? 'system/MeasureReport.c')}`,
      'content-type': 'application/json',
    },
    payload: JSON.stringify(body),
  });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

async function stored(orgUnitId: string): Promise<
  {
    data_element: string;
    period: string;
    value: string;
    org_unit_kind: string;
    start_date: string;
    end_date: string;
  }[]
> {
  const { rows } = await kinga.database.pool.query(
    `select data_element, period, value::text, org_unit_kind, to_char(start_date, 'YYYY-MM-DD') as start_date,
            to_char(end_date, 'YYYY-MM-DD') as end_date
       from indicator_denominator where org_unit_id = $1 order by data_element, period`,
    [orgUnitId],
  );
  return rows;
}

t.test('a header-form push is stored and answered with a DHIS2 import summary', async (t) => {
  const res = await push({
    dataSet: 'pBOMPrpg1QX',
    period: '2026',
    orgUnit: districtUid,
    dataValues: [{ dataElement: 'POPULATION', value: '125000' }],
  });
  t.equal(res.status, 200);
  t.match(res.body, {
    httpStatus: 'OK',
    httpStatusCode: 200,
    status: 'OK',
    message: 'Import was successful.',
    response: {
      responseType: 'ImportSummary',
      status: 'SUCCESS',
      importCount: { imported: 1, updated: 0, ignored: 0, deleted: 0 },
      conflicts: [],
      rejectedIndexes: [],
      importOptions: {
        idSchemes: { orgUnitIdScheme: 'UID' },
        importStrategy: 'CREATE_AND_UPDATE',
        dryRun: false,
      },
    },
  });
  t.same(await stored(district.id), [
    {
      data_element: 'POPULATION',
      period: '2026',
      value: '125000.0000',
      org_unit_kind: 'location',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
    },
  ]);

  const again = await push({
    period: '2026',
    orgUnit: districtUid,
    dataValues: [{ dataElement: 'POPULATION', value: '126500' }],
  });
  t.same(
    again.body.response.importCount,
    { imported: 0, updated: 1, ignored: 0, deleted: 0 },
    'a re-push updates',
  );
  t.equal((await stored(district.id))[0]!.value, '126500.0000');
});

t.test(
  'bulk form with one unknown org unit: imported 1, ignored 1, a conflict at index 1, 409',
  async (t) => {
    const unknown = newUid();
    const res = await push({
      dataValues: [
        { dataElement: 'POPULATION', period: '202611', orgUnit: districtUid, value: '10400' },
        { dataElement: 'POPULATION', period: '202611', orgUnit: unknown, value: '900' },
      ],
    });
    // DHIS2 answers a push with rejected values 409 Conflict, WebMessage status WARNING
    // (integrations.md §1.5): senders treat it as data to fix, not a transport failure.
    t.equal(res.status, 409);
    t.same(res.body.httpStatus, 'Conflict');
    t.same(res.body.httpStatusCode, 409);
    t.same(res.body.status, 'WARNING');
    t.same(res.body.message, 'One more conflicts encountered, please check import summary.');
    t.same(res.body.response.status, 'WARNING');
    t.same(res.body.response.importCount, { imported: 1, updated: 0, ignored: 1, deleted: 0 });
    t.same(res.body.response.conflicts, [
      {
        object: unknown,
        objects: { orgUnit: unknown },
        value: `Organisation unit not found or not accessible: \`${unknown}\``,
        errorCode: 'E7612',
        property: 'orgUnit',
        indexes: [1],
      },
    ]);
    t.same(res.body.response.rejectedIndexes, [1]);
    t.same(
      (await stored(district.id)).map((r) => [r.period, r.value, r.start_date, r.end_date]),
      [
        ['2026', '126500.0000', '2026-01-01', '2026-12-31'],
        ['202611', '10400.0000', '2026-11-01', '2026-11-30'],
      ],
    );
  },
);

t.test('every kind of rejection is a conflict with its DHIS2 code, grouped by object', async (t) => {
  const res = await push({
    dataValues: [
      { dataElement: 'MALARIA_CASES', period: '2026', orgUnit: districtUid, value: '3' },
      { dataElement: 'POPULATION', period: '2026S2', orgUnit: districtUid, value: '3' },
      {
        dataElement: 'POPULATION',
        period: '2026',
        orgUnit: districtUid,
        categoryOptionCombo: 'Prlt0C1RF0s',
        value: '3',
      },
      { dataElement: 'POPULATION', period: '2026', orgUnit: districtUid, value: 'many' },
      { dataElement: 'MALARIA_CASES', period: '2025', orgUnit: districtUid, value: '4' },
    ],
  });
  t.equal(res.status, 409);
  t.same(
    res.body.response.conflicts.map((c: any) => [c.errorCode, c.property, c.object, c.indexes]),
    [
      ['E7610', 'dataElement', 'MALARIA_CASES', [0, 4]],
      ['E7611', 'period', '2026S2', [1]],
      ['E7613', 'categoryOptionCombo', 'Prlt0C1RF0s', [2]],
      ['E7619', 'value', 'POPULATION', [3]],
    ],
  );
  t.same(res.body.response.importCount, { imported: 0, updated: 0, ignored: 5, deleted: 0 });
  t.same(res.body.response.rejectedIndexes, [0, 1, 2, 3, 4]);
});

t.test('org units by code (the mapped DHIS2 code, else the Kinga code) and by derived UID', async (t) => {
  const byCode = await push(
    {
      orgUnitIdScheme: 'CODE',
      dataValues: [
        { dataElement: 'POPULATION', period: '2026', orgUnit: wardCode, value: '4000' },
        { dataElement: 'POPULATION', period: '2026', orgUnit: unmapped.identifier[1].value, value: '3000' },
      ],
    },
    { query: 'idScheme=UID' },
  );
  t.equal(byCode.status, 200, JSON.stringify(byCode.body));
  t.equal(byCode.body.response.importOptions.idSchemes.orgUnitIdScheme, 'CODE', "the payload's scheme wins");
  t.equal((await stored(ward.id))[0]!.value, '4000.0000');
  t.equal((await stored(unmapped.id))[0]!.value, '3000.0000');

  // An org unit the scheme never mapped is exported, and pushed back, under the UID derived from its id.
  const derived = await push({
    dataValues: [
      { dataElement: 'POPULATION', period: '2027', orgUnit: derivedOrgUnitUid(unmapped.id), value: '3100' },
    ],
  });
  t.equal(derived.status, 200);
  t.same(
    (await stored(unmapped.id)).map((r) => [r.period, r.value]),
    [
      ['2026', '3000.0000'],
      ['2027', '3100.0000'],
    ],
  );
  const mappedByDerived = await push({
    dataValues: [
      { dataElement: 'POPULATION', period: '2027', orgUnit: derivedOrgUnitUid(district.id), value: '1' },
    ],
  });
  t.equal(mappedByDerived.status, 409, 'a mapped org unit answers to its mapped UID only');

  const unsupported = await push({ dataValues: [] }, { query: 'orgUnitIdScheme=NAME' });
  t.equal(unsupported.status, 400);
  t.match(unsupported.body.detail, /orgUnitIdScheme NAME is not supported/);
});

t.test('dry run counts and stores nothing; DELETE removes; CREATE leaves existing values', async (t) => {
  const dry = await push(
    { dataValues: [{ dataElement: 'POPULATION', period: '2030', orgUnit: districtUid, value: '5' }] },
    { query: 'dryRun=true' },
  );
  t.same(dry.body.response.importCount, { imported: 1, updated: 0, ignored: 0, deleted: 0 });
  t.notOk(
    (await stored(district.id)).some((r) => r.period === '2030'),
    'nothing stored',
  );

  const create = await push({
    importStrategy: 'CREATE',
    dataValues: [{ dataElement: 'POPULATION', period: '2026', orgUnit: districtUid, value: '1' }],
  });
  t.same(create.body.response.importCount, { imported: 0, updated: 0, ignored: 1, deleted: 0 });
  t.equal(create.status, 200, 'an existing value left alone is no conflict');

  const remove = await push(
    { dataValues: [{ dataElement: 'POPULATION', period: '202611', orgUnit: districtUid }] },
    { query: 'importStrategy=DELETE' },
  );
  t.same(remove.body.response.importCount, { imported: 0, updated: 0, ignored: 0, deleted: 1 });
  t.notOk((await stored(district.id)).some((r) => r.period === '202611'));
});

t.test('DHIS2 Aggregate Data Exchange sends HTTP Basic: a registered client id and secret', async (t) => {
  const { clientId, secret } = await kinga.app.kinga.auth.clients.register({
    name: 'DHIS2 ADE',
    scopes: 'system/MeasureReport.c',
  });
  const basic = (id: string, password: string) =>
    `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`;
  const body = {
    dataValues: [{ dataElement: 'POPULATION', period: '2028', orgUnit: districtUid, value: '130000' }],
  };
  const ok = await push(body, { authorization: basic(clientId, secret!) });
  t.equal(ok.status, 200, JSON.stringify(ok.body));
  t.same(ok.body.response.importCount.imported, 1);

  const wrong = await push(body, { authorization: basic(clientId, 'not-the-secret') });
  t.equal(wrong.status, 401);
  t.match(String(wrong.headers['www-authenticate']), /^Basic realm="Kinga"/);

  const { clientId: reader, secret: readerSecret } = await kinga.app.kinga.auth.clients.register({
    name: 'Reader',
    scopes: 'system/Measure.r',
  });
  const noScope = await push(body, { authorization: basic(reader, readerSecret!) });
  t.equal(noScope.status, 403);
  const bearerNoScope = await push(body, { scopes: 'system/Patient.rs' });
  t.equal(bearerNoScope.status, 403);
  const none = await kinga.app.inject({ method: 'POST', url: '/dhis2/api/dataValueSets', payload: body });
  t.equal(none.statusCode, 401);
});

t.test('DHIS2_DENOMINATORS maps DHIS2 data element UIDs to the denominator kept', async (t) => {
  const app = await buildTestApp(t, { DHIS2_DENOMINATORS: 'POPULATION=WUg3MYWQ7ik|POP_TOTAL' });
  const res = await push(
    {
      dataValues: [
        { dataElement: 'WUg3MYWQ7ik', period: '2029', orgUnit: districtUid, value: '140000' },
        { dataElement: 'POP_TOTAL', period: '2029', orgUnit: districtUid, value: '141000' },
      ],
    },
    { app },
  );
  t.same(res.body.response.importCount, { imported: 1, updated: 1, ignored: 0, deleted: 0 });
  t.same(
    (await stored(district.id)).filter((r) => r.period === '2029').map((r) => [r.data_element, r.value]),
    [['POPULATION', '141000.0000']],
    'the last value of a key sent twice stays',
  );
  const bad = await push({ dataValues: 'nope' });
  t.equal(bad.status, 400);
});
