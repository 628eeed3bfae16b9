/**
 * The MeasureReport serialiser against hand-made observations (IHE mADX), then
 * Measure/[id]/$evaluate-measure end to end: the report of the cube the DHIS2 exports use.
 */
import t from 'tap';
import type { Observation } from '../../src/domain/indicator/cube.ts';
import { measureId } from '../../src/fhir/measure/measure.mapper.ts';
import { measureReportBundle, measureReportOf } from '../../src/integrations/dhis2/formats/measure-report.ts';
import { derivedOrgUnitUid } from '../../src/integrations/dhis2/uids.ts';
import { NO_REVIEW } from '../claims/claim-fixtures.ts';
import { assertValidFhir } from '../helpers/fhir-validator.ts';
import { buildTestApp, validFhir } from '../helpers/test-app.ts';
import { claims, enrolment, facility, NOVEMBER, ward } from './hand-made-cube.ts';
import { indicatorScheme } from './indicator-scheme.ts';

const OPTIONS = { generated: new Date('2026-12-02T03:00:00.000Z'), currency: 'TZS' };
const POPULATION = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/measure-population',
      code: 'initial-population',
      display: 'Initial Population',
    },
  ],
};
const MASKED = [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }];
const category = (code: string) => ({
  code: { coding: [{ system: 'https://kinga.health/fhir/CodeSystem/indicator-category', code }] },
});
const option = (code: string) => ({
  value: { coding: [{ system: 'https://kinga.health/fhir/CodeSystem/indicator-category-option', code }] },
});
const ONE = { unit: '1', system: 'http://unitsofmeasure.org', code: '1' };

t.test(
  'a summary report per org unit and period: counts as populations, amounts as scores (mADX)',
  async (t) => {
    const report = measureReportOf('ENROLMENT', ward, NOVEMBER, enrolment.observations, OPTIONS);
    assertValidFhir(t, report);
    t.same(report, {
      resourceType: 'MeasureReport',
      status: 'complete',
      type: 'summary',
      measure: 'https://kinga.health/fhir/Measure/ENROLMENT',
      subject: {
        reference: `Location/${ward.id}`,
        identifier: {
          system: 'https://kinga.health/fhir/NamingSystem/dhis2-uid',
          value: derivedOrgUnitUid(ward.id),
        },
        display: 'Kibaha "North"',
      },
      date: '2026-12-02T03:00:00.000Z',
      period: { start: '2026-11-01', end: '2026-11-30' },
      group: [
        {
          code: {
            coding: [
              {
                system: 'https://kinga.health/fhir/CodeSystem/indicator',
                code: 'NB_INSUREES',
                display: 'Insurees',
              },
            ],
            text: 'Insurees',
          },
          population: [{ code: POPULATION, count: 7 }],
          stratifier: [
            {
              stratum: [
                {
                  component: [
                    { ...category('AGE_GROUP'), ...option('AGE_GROUP_P0Y_P5Y') },
                    { ...category('SEX'), ...option('SEX_F') },
                  ],
                  population: [{ code: POPULATION, count: 3 }],
                  measureScore: { value: 3, ...ONE },
                },
                {
                  component: [
                    { ...category('AGE_GROUP'), ...option('AGE_GROUP_P19Y_P25Y') },
                    { ...category('SEX'), ...option('SEX_M') },
                  ],
                  population: [{ code: POPULATION, count: 2 }],
                  measureScore: { value: 2, ...ONE },
                },
                {
                  // Withheld (small-cell suppression): there, but masked.
                  component: [
                    { ...category('AGE_GROUP'), ...option('AGE_GROUP_P6Y_P12Y') },
                    { ...category('SEX'), ...option('SEX_M') },
                  ],
                  population: [{ code: POPULATION, _count: { extension: MASKED } }],
                  measureScore: { extension: MASKED },
                },
              ],
            },
          ],
        },
        {
          code: {
            coding: [
              {
                system: 'https://kinga.health/fhir/CodeSystem/indicator',
                code: 'NB_FAMILY',
                display: 'Families',
              },
            ],
            text: 'Families',
          },
          population: [{ code: POPULATION, count: 1 }],
          stratifier: [
            {
              stratum: [
                {
                  component: [
                    { ...category('AGE_GROUP'), ...option('AGE_GROUP_P76Y_P9999Y') },
                    { ...category('SEX'), ...option('SEX_O') },
                    { ...category('PAYMENT_STATUS'), ...option('PAYMENT_STATUS_PARTIALY_PAID') },
                    { ...category('PAYMENT_STATE'), ...option('PAYMENT_STATE_NO_POLICY') },
                  ],
                  population: [{ code: POPULATION, count: 1 }],
                  measureScore: { value: 1, ...ONE },
                },
              ],
            },
          ],
        },
        {
          code: {
            coding: [
              {
                system: 'https://kinga.health/fhir/CodeSystem/indicator',
                code: 'SUM_CONTRIBUTIONS',
                display: 'Contributions collected',
              },
            ],
            text: 'Contributions collected',
          },
          measureScore: { value: 1200.5, unit: 'TZS', system: 'urn:iso:std:iso:4217', code: 'TZS' },
          stratifier: [
            {
              stratum: [
                {
                  component: [{ ...category('PRODUCT'), ...option('PRODUCT_PR_1') }],
                  measureScore: { value: 1200.5, unit: 'TZS', system: 'urn:iso:std:iso:4217', code: 'TZS' },
                },
              ],
            },
          ],
        },
      ],
    });
  },
);

t.test(
  'a facility is an Organization; rates and days are scores in UCUM; a zero total is a count of 0',
  async (t) => {
    const report = measureReportOf('PROCESSED_CLAIM', facility, NOVEMBER, claims.observations, OPTIONS);
    assertValidFhir(t, report);
    t.equal(report.subject!.reference, `Organization/${facility.id}`);
    const groups = new Map(report.group!.map((g) => [g.code!.coding![0]!.code, g]));
    t.same(
      groups.get('CLAIMS_RECEIVED')!.population,
      [{ code: POPULATION, count: 0 }],
      'zeros are significant there',
    );
    t.notOk(groups.get('CLAIMS_RECEIVED')!.stratifier);
    t.same(groups.get('DAYS_TO_VALUATION')!.measureScore, {
      value: 3.25,
      unit: 'days',
      system: 'http://unitsofmeasure.org',
      code: 'd',
    });
    t.same(groups.get('REJECTION_RATE')!.measureScore, {
      value: 12.5,
      unit: '%',
      system: 'http://unitsofmeasure.org',
      code: '%',
    });
    t.notOk(groups.has('NB_CLAIM'), 'an indicator without values has no group');
  },
);

t.test('a withheld total; an org unit without values; the Bundle', async (t) => {
  const withheld: Observation[] = [
    { indicator: 'NB_INSUREES', period: '202611', orgUnit: ward.id, strata: {}, value: null, withheld: true },
  ];
  const report = measureReportOf('ENROLMENT', ward, NOVEMBER, withheld, OPTIONS);
  assertValidFhir(t, report);
  t.same(report.group![0]!.population, [{ code: POPULATION, _count: { extension: MASKED } }]);

  const empty = measureReportOf('ENROLMENT', ward, NOVEMBER, [], OPTIONS);
  assertValidFhir(t, empty);
  t.notOk(empty.group, 'nothing to report: no group');

  const bundle = measureReportBundle(enrolment, OPTIONS);
  assertValidFhir(t, bundle);
  t.equal(bundle.type, 'collection');
  t.same(
    bundle.entry!.map((e) => e.resource!.subject!.reference),
    enrolment.orgUnits.map((o) => `Location/${o.id}`),
    'one report per org unit (and data set and period)',
  );
});

t.test('Measure/[id]/$evaluate-measure', async (t) => {
  const kinga = await buildTestApp(t, NO_REVIEW);
  const scheme = await indicatorScheme(kinga);
  const enrolmentMeasure = measureId('ENROLMENT');
  const claimMeasure = measureId('PROCESSED_CLAIM');
  const { start, end } = scheme.month;

  const evaluate = (id: string, query: string, scopes = 'system/Measure.r') =>
    kinga.fhir({ method: 'GET', url: `/fhir/R4/Measure/${id}/$evaluate-measure?${query}`, scopes });

  t.test('GET: the month of a ward, as /dhis2/dataValueSets reports it', async (t) => {
    const res = await evaluate(
      enrolmentMeasure,
      `periodStart=${start}&periodEnd=${end}&subject=Location/${scheme.ward.id}`,
    );
    t.equal(res.status, 200, JSON.stringify(res.body));
    const report = validFhir(t, res);
    t.equal(report.resourceType, 'MeasureReport');
    t.equal(report.type, 'summary');
    t.equal(report.status, 'complete');
    t.equal(report.measure, 'https://kinga.health/fhir/Measure/ENROLMENT');
    t.same(report.period, { start, end });
    const insurees = report.group.find((g: any) => g.code.coding[0].code === 'NB_INSUREES');
    t.equal(insurees.population[0].count, 4, 'four insurees, one without a birth date');
    t.equal(insurees.stratifier[0].stratum.length, 3);

    const pulled = await kinga.app.inject({
      method: 'GET',
      url: `/dhis2/dataValueSets?dataSet=ENROLMENT&period=${scheme.month.code}&orgUnit=${scheme.ward.id}`,
      headers: {
        authorization: `Bearer ${await kinga.token('system/Measure.r')}`,
        accept: 'application/fhir+json',
      },
    });
    const [fromBundle] = pulled.json().entry.map((e: any) => e.resource);
    t.same({ ...report, date: undefined }, { ...fromBundle, date: undefined }, 'the same report both ways');
  });

  t.test('POST Parameters; a facility; partial dates stand for the month', async (t) => {
    const res = await kinga.fhir({
      method: 'POST',
      url: `/fhir/R4/Measure/${claimMeasure}/$evaluate-measure`,
      scopes: 'system/Measure.r',
      body: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'periodStart', valueDate: start.slice(0, 7) },
          { name: 'periodEnd', valueDate: end.slice(0, 7) },
          { name: 'subject', valueString: `Organization/${scheme.facility.id}` },
          { name: 'reportType', valueCode: 'summary' },
        ],
      },
    });
    t.equal(res.status, 200, JSON.stringify(res.body));
    const report = validFhir(t, res);
    t.equal(report.subject.reference, `Organization/${scheme.facility.id}`);
    t.same(report.period, { start, end });
    const claimsGroup = report.group.find((g: any) => g.code.coding[0].code === 'NB_CLAIM');
    t.equal(claimsGroup.population[0].count, 1, 'the claim treated today');
  });

  t.test('other DHIS2 periods: a week, a quarter, a year, a day', async (t) => {
    for (const [periodStart, periodEnd] of [
      ['2026-11-23', '2026-11-29'],
      ['2026-10-01', '2026-12-31'],
      ['2026-01-01', '2026-12-31'],
      ['2026-11-30', '2026-11-30'],
    ]) {
      const res = await evaluate(
        enrolmentMeasure,
        `periodStart=${periodStart}&periodEnd=${periodEnd}&subject=Location/${scheme.ward.id}`,
      );
      t.equal(res.status, 200, `${periodStart}..${periodEnd}`);
      t.same(validFhir(t, res).period, { start: periodStart, end: periodEnd });
    }
  });

  t.test('refusals', async (t) => {
    const refused = async (query: string, status: number, code: string, id = enrolmentMeasure) => {
      const res = await evaluate(id, query);
      t.equal(res.status, status, `${query}: ${JSON.stringify(res.body)}`);
      const outcome = validFhir(t, res);
      t.equal(outcome.resourceType, 'OperationOutcome');
      t.equal(outcome.issue[0].details.coding[0].code, code);
      return outcome.issue[0].diagnostics as string;
    };
    const subject = `subject=Location/${scheme.ward.id}`;
    t.match(
      await refused(
        `periodStart=2026-11-01&periodEnd=2026-11-15&${subject}`,
        400,
        'indicator.evaluation-period-invalid',
      ),
      /not one DHIS2 period/,
    );
    // A week that does not start on Monday is no DHIS2 (ISO) week.
    await refused(
      `periodStart=2026-11-24&periodEnd=2026-11-30&${subject}`,
      400,
      'indicator.evaluation-period-invalid',
    );
    await refused(
      `periodStart=2026-11-31&periodEnd=2026-12-01&${subject}`,
      400,
      'operation.parameter-invalid',
    );
    await refused(`periodEnd=2026-11-30&${subject}`, 400, 'operation.parameter-invalid');
    await refused(
      `periodStart=2026-11-01&periodEnd=2026-11-30&subject=Patient/${scheme.ward.id}`,
      400,
      'indicator.subject-invalid',
    );
    await refused(
      `periodStart=2026-11-01&periodEnd=2026-11-30&subject=Organization/${scheme.ward.id}`,
      400,
      'indicator.subject-invalid',
    );
    await refused(
      `periodStart=2026-11-01&periodEnd=2026-11-30&${subject}&reportType=subject`,
      400,
      'indicator.report-type-unsupported',
    );
    await refused(
      `periodStart=2026-11-01&periodEnd=2026-11-30&${subject}`,
      404,
      'fhir.not-found',
      '0192f0c4-5e2a-7b3c-8d4e-9f0a1b2c3d4e',
    );
    const forbidden = await evaluate(
      enrolmentMeasure,
      `periodStart=2026-11-01&periodEnd=2026-11-30&${subject}`,
      'system/Patient.r',
    );
    t.equal(forbidden.status, 403);
  });

  t.test('the CapabilityStatement names the operation and its definition', async (t) => {
    const res = await kinga.fhir({ method: 'GET', url: '/fhir/R4/metadata', anonymous: true });
    const measure = validFhir(t, res).rest[0].resource.find((r: any) => r.type === 'Measure');
    t.match(measure.operation, [
      {
        name: 'evaluate-measure',
        definition: 'https://kinga.health/fhir/OperationDefinition/Measure-evaluate-measure',
      },
    ]);
  });
});
