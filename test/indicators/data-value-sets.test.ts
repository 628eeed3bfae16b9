/**
 * The DHIS2 JSON serialiser against hand-made observations (exact documents), then
 * GET /dhis2/dataValueSets end to end on a seeded scheme: its values are the cube's, and its three
 * forms (JSON, ADX, FHIR) carry the same numbers.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parsePeriod } from '../../src/domain/indicator/periods.ts';
import { indicatorCubeFrom } from '../../src/integrations/dhis2/cube/sql-cube.ts';
import { dataValueSet } from '../../src/integrations/dhis2/formats/data-value-sets.ts';
import { CODE_SCHEMES, exportIdSchemes } from '../../src/integrations/dhis2/formats/id-schemes.ts';
import { findOrgUnits } from '../../src/integrations/dhis2/cube/org-units.ts';
import { indicatorData } from '../../src/integrations/dhis2/indicator-data.service.ts';
import { derivedOrgUnitUid } from '../../src/integrations/dhis2/uids.ts';
import { poolQueryable } from '../../src/platform/database/queryable.ts';
import { NO_REVIEW } from '../claims/claim-fixtures.ts';
import { buildTestApp, validFhir } from '../helpers/test-app.ts';
import { claims, enrolment, mappedWard } from './hand-made-cube.ts';
import { indicatorScheme } from './indicator-scheme.ts';
import { adxValues, fhirValues, jsonValues, numeric } from './read-formats.ts';

const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/dhis2/${name}`, import.meta.url), 'utf8'));

t.test('by code (the default): bulk form, values as text, COCs as option codes joined', async (t) => {
  t.same(dataValueSet(enrolment, exportIdSchemes({})), {
    dataSet: 'ENROLMENT',
    dataSetIdScheme: 'CODE',
    dataElementIdScheme: 'CODE',
    orgUnitIdScheme: 'CODE',
    categoryOptionComboIdScheme: 'CODE',
    dataValues: [
      {
        dataElement: 'NB_INSUREES',
        period: '202611',
        orgUnit: 'W-01 & <Kibaha>',
        categoryOptionCombo: 'AGE_GROUP_P0Y_P5Y_SEX_F',
        value: '3',
      },
      {
        dataElement: 'NB_INSUREES',
        period: '202611',
        orgUnit: 'W-01 & <Kibaha>',
        categoryOptionCombo: 'AGE_GROUP_P19Y_P25Y_SEX_M',
        value: '2',
      },
      {
        dataElement: 'NB_FAMILY',
        period: '202611',
        orgUnit: 'W-01 & <Kibaha>',
        // Longer than DHIS2's 50 characters: shortened with a hash, as cleanCode does.
        categoryOptionCombo: 'AGE_GROUP_P76Y_P9999Y_SEX_O_PAYMENT_STATU_DC5161C3',
        value: '1',
      },
      {
        dataElement: 'SUM_CONTRIBUTIONS',
        period: '202611',
        orgUnit: 'W-01 & <Kibaha>',
        categoryOptionCombo: 'PRODUCT_PR_1',
        value: '1200.50',
      },
      // The mapped ward by its DHIS2 code.
      {
        dataElement: 'NB_INSUREES',
        period: '202611',
        orgUnit: 'OU_MLANDIZI',
        categoryOptionCombo: 'AGE_GROUP_P26Y_P35Y_SEX_F',
        value: '4',
      },
    ],
  });
});

t.test('totals of disaggregated elements and withheld counts are not sent', async (t) => {
  const values = dataValueSet(enrolment, CODE_SCHEMES).dataValues;
  t.notOk(
    values.some((v) => v.categoryOptionCombo === undefined),
    'every ENROLMENT element is disaggregated',
  );
  t.notOk(
    values.some((v) => v.categoryOptionCombo === 'AGE_GROUP_P6Y_P12Y_SEX_M'),
    'the withheld cell',
  );
});

t.test('by UID, and a specific scheme beating idScheme; the default combo is left out', async (t) => {
  t.same(dataValueSet(claims, exportIdSchemes({ idScheme: 'uid', orgUnitIdScheme: 'code' })), {
    dataSet: 'MhfqZSn6tLX',
    dataSetIdScheme: 'UID',
    dataElementIdScheme: 'UID',
    orgUnitIdScheme: 'CODE',
    categoryOptionComboIdScheme: 'UID',
    dataValues: [
      // CLAIMS_VALUATED × CLAIM_TYPE_EMERGENCY; CLAIMS_RECEIVED's total zero has no COC to go to.
      {
        dataElement: 'zVp4JGDhto3',
        period: '202611',
        orgUnit: 'HF-7',
        categoryOptionCombo: 'eVdrWYvq0ME',
        value: '12',
      },
      // DAYS_TO_VALUATION: no disaggregation, DHIS2's default combo.
      { dataElement: 'oSTdG1Q1X0G', period: '202611', orgUnit: 'HF-7', value: '3.25' },
      {
        dataElement: 'mWLVAqpEo0z',
        period: '202611',
        orgUnit: 'HF-7',
        categoryOptionCombo: 'IJgvzxC33XP',
        value: '12.50',
      },
    ],
  });
  const byUid = dataValueSet(enrolment, exportIdSchemes({ orgUnitIdScheme: 'UID' })).dataValues;
  t.equal(
    byUid[0]!.orgUnit,
    derivedOrgUnitUid(enrolment.orgUnits[0]!.id),
    'an unmapped ward: its derived UID',
  );
  t.equal(byUid.at(-1)!.orgUnit, mappedWard.dhis2Uid, 'a mapped ward: its DHIS2 UID');
});

t.test('NAME and attribute schemes are refused', async (t) => {
  t.throws(() => exportIdSchemes({ idScheme: 'NAME' }), { code: 'dhis2.id-scheme-unsupported' });
  t.throws(() => exportIdSchemes({ orgUnitIdScheme: 'ATTRIBUTE:abc' }), {
    code: 'dhis2.id-scheme-unsupported',
  });
});

t.test('the shape of DHIS2 documents: the members the published examples use, all text', async (t) => {
  const template = fixture('dataValueSet-template.dhis2-docs.json');
  const bulk = fixture('dataValueSet-bulk-example.dhis2-docs.json');
  const known = new Set([...template.dataValues, ...bulk.dataValues].flatMap((v: object) => Object.keys(v)));
  const rootKnown = new Set([...Object.keys(template), ...Object.keys(bulk)]);
  for (const data of [enrolment, claims]) {
    const set = dataValueSet(data, CODE_SCHEMES);
    t.ok(rootKnown.has('dataSet') && rootKnown.has('dataValues'));
    for (const value of set.dataValues) {
      t.ok(
        Object.keys(value).every((k) => known.has(k)),
        `${Object.keys(value).join(',')} are DHIS2 members`,
      );
      t.ok(
        Object.values(value).every((v) => typeof v === 'string'),
        'every member is a string',
      );
    }
  }
  t.same(
    Object.keys(bulk.dataValues[0]),
    ['dataElement', 'period', 'orgUnit', 'value'],
    'the bulk form names its period and org unit',
  );
});

t.test('GET /dhis2/dataValueSets on a seeded scheme', async (t) => {
  const kinga = await buildTestApp(t, NO_REVIEW);
  const scheme = await indicatorScheme(kinga);
  const { pool } = kinga.database;
  // A cube of its own (no shared cache): the engine's values, computed a second time.
  const cube = indicatorCubeFrom(kinga.config, pool);
  const year = parsePeriod(scheme.month.code.slice(0, 4));
  const token = await kinga.token('system/Measure.r');

  const get = (query: string, accept?: string, auth = `Bearer ${token}`) =>
    kinga.app.inject({
      method: 'GET',
      url: `/dhis2/dataValueSets?${query}`,
      headers: { authorization: auth, ...(accept ? { accept } : {}) },
    });

  t.test('JSON by default: the cube’s values of the ward, by code', async (t) => {
    const res = await get(`dataSet=ENROLMENT&period=${scheme.month.code}&orgUnit=${scheme.ward.code}`);
    t.equal(res.statusCode, 200, res.body);
    t.match(res.headers['content-type'], /^application\/json/);
    const body = res.json();
    const units = await findOrgUnits(poolQueryable(pool), [scheme.ward.id], 'id');
    const expected = dataValueSet(
      await indicatorData(cube, ['ENROLMENT'], [scheme.month], [units.get(scheme.ward.id)!]),
      CODE_SCHEMES,
    );
    t.same(body, expected, 'what the engine computes');
    const insurees = body.dataValues.filter((v: any) => v.dataElement === 'NB_INSUREES');
    t.same(
      insurees.map((v: any) => [v.categoryOptionCombo, v.value]).sort(),
      [
        ['AGE_GROUP_P0Y_P5Y_SEX_M', '1'],
        ['AGE_GROUP_P36Y_P55Y_SEX_F', '1'],
        ['AGE_GROUP_P76Y_P9999Y_SEX_O', '1'],
      ],
      'three insurees with a birth date (the fourth counts in the total only, which DHIS2 adds up itself)',
    );
    t.same(
      body.dataValues
        .filter((v: any) => v.dataElement === 'SUM_CONTRIBUTIONS')
        .map((v: any) => [v.categoryOptionCombo, v.value]),
      [[`PRODUCT_${scheme.productCode}`, '100.00']],
    );
  });

  t.test('the three forms carry the same numbers', async (t) => {
    for (const query of [
      `dataSet=ENROLMENT&dataSet=MONITORING&period=${scheme.month.code}&period=${year.code}&orgUnit=${scheme.district.code}&children=true`,
      `dataSet=PROCESSED_CLAIM&period=${scheme.month.code}&orgUnit=${scheme.district.code}&children=true`,
    ]) {
      const json = await get(query, 'application/json');
      const adx = await get(query, 'application/adx+xml');
      const fhir = await get(query, 'application/fhir+json');
      t.equal(adx.statusCode, 200);
      t.match(adx.headers['content-type'], /^application\/adx\+xml/);
      t.match(fhir.headers['content-type'], /^application\/fhir\+json/);
      const bundle = validFhir(t, {
        status: fhir.statusCode,
        headers: fhir.headers,
        body: fhir.json(),
        raw: fhir,
      });
      const codes = new Map<string, string>([
        [scheme.district.id, scheme.district.code],
        [scheme.ward.id, scheme.ward.code],
        [scheme.facility.id, scheme.facility.code],
        ...scheme.villages.map((v) => [v.id, v.code] as [string, string]),
      ]);
      const fromJson = jsonValues(json.json());
      t.ok(fromJson.size > 0, `${query}: values`);
      t.same(numeric(adxValues(adx.body)), numeric(fromJson), 'ADX = JSON');
      t.same(
        numeric(fhirValues(bundle, (ref) => codes.get(ref.split('/')[1]!)!)),
        numeric(fromJson),
        'FHIR = JSON',
      );
    }
  });

  t.test('children: the district, its ward, and for a facility data set its facility', async (t) => {
    const orgUnitsOf = async (query: string) =>
      new Set((await get(query)).json().dataValues.map((v: any) => v.orgUnit));
    t.same(
      [
        ...(await orgUnitsOf(
          `dataSet=ENROLMENT&period=${scheme.month.code}&orgUnit=${scheme.district.code}&children=true`,
        )),
      ].sort(),
      [scheme.district.code, scheme.ward.code].sort(),
    );
    const claimUnits = await orgUnitsOf(
      `dataSet=PROCESSED_CLAIM&period=${scheme.month.code}&orgUnit=${scheme.district.code}&children=true`,
    );
    t.ok(claimUnits.has(scheme.facility.code), 'the facility of the district');
    t.ok(claimUnits.has(scheme.district.code), 'the district, over its facilities');
  });

  t.test('org units by Kinga id, derived DHIS2 UID and mapped DHIS2 code; data sets by UID', async (t) => {
    const byCode = (
      await get(`dataSet=ENROLMENT&period=${scheme.month.code}&orgUnit=${scheme.ward.code}`)
    ).json();
    const byId = (
      await get(`dataSet=ENROLMENT&period=${scheme.month.code}&orgUnit=${scheme.ward.id}`)
    ).json();
    const byUid = (
      await get(
        `dataSet=JbsVw0kSIa8&period=${scheme.month.code}&orgUnit=${derivedOrgUnitUid(scheme.ward.id)}`,
      )
    ).json();
    t.same(byId, byCode);
    t.same(byUid, byCode);
    const mapped = await kinga.app.inject({
      method: 'PUT',
      url: '/dhis2/orgUnits',
      headers: { authorization: `Bearer ${await kinga.token()}` },
      payload: [{ location: scheme.ward.id, code: `OU_${scheme.ward.code}` }],
    });
    t.equal(mapped.statusCode, 200, mapped.body);
    const byDhis2Code = (
      await get(`dataSet=ENROLMENT&period=${scheme.month.code}&orgUnit=OU_${scheme.ward.code}`)
    ).json();
    t.ok(byDhis2Code.dataValues.length > 0);
    t.ok(
      byDhis2Code.dataValues.every((v: any) => v.orgUnit === `OU_${scheme.ward.code}`),
      'a mapped org unit is exported under its DHIS2 code',
    );
    const uids = (
      await get(`dataSet=ENROLMENT&period=${scheme.month.code}&orgUnit=${scheme.ward.id}&idScheme=UID`)
    ).json();
    t.ok(uids.dataValues.every((v: any) => v.orgUnit === derivedOrgUnitUid(scheme.ward.id)));
  });

  t.test('bad requests are problems naming what is wrong', async (t) => {
    const problem = async (query: string, status: number, title: string, accept?: string) => {
      const res = await get(query, accept);
      t.equal(res.statusCode, status, `${query}: ${res.body}`);
      t.match(res.headers['content-type'], /^application\/problem\+json/);
      t.equal(res.json().title, title);
      return res.json();
    };
    const base = `orgUnit=${scheme.ward.code}`;
    t.match(
      (await problem(`dataSet=ENROLMENT&period=2026-11&${base}`, 400, 'indicator.period-invalid')).detail,
      /2026-11/,
    );
    t.match(
      (await problem(`dataSet=ENROLMENT&period=202613&${base}`, 400, 'indicator.period-invalid')).detail,
      /202613/,
    );
    t.match(
      (await problem(`dataSet=CLAIMS&period=202611&${base}`, 400, 'indicator.data-set-unknown')).detail,
      /CLAIMS/,
    );
    t.match(
      (await problem('dataSet=ENROLMENT&period=202611&orgUnit=NOWHERE', 400, 'indicator.org-unit-unknown'))
        .detail,
      /NOWHERE/,
    );
    await problem(
      `dataSet=ENROLMENT&period=202611&${base}&idScheme=NAME`,
      400,
      'dhis2.id-scheme-unsupported',
    );
    await problem(`dataSet=ENROLMENT&period=202611&${base}`, 406, 'indicator.not-acceptable', 'text/html');
    const anonymous = await get(`dataSet=ENROLMENT&period=202611&${base}`, undefined, '');
    t.equal(anonymous.statusCode, 401);
    const wrongScope = await get(
      `dataSet=ENROLMENT&period=202611&${base}`,
      undefined,
      `Bearer ${await kinga.token('system/Patient.r')}`,
    );
    t.equal(wrongScope.statusCode, 403);
  });
});
