import type { Parameters } from '@medplum/fhirtypes';
import { DataSets, type DataSetCode } from '../../domain/indicator/catalogue.ts';
import { PeriodTypes, periodOf, type Period } from '../../domain/indicator/periods.ts';
import type { IsoDate } from '../../domain/shared/dates.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import { addDays, addMonths } from '../../domain/policy/calendar.ts';
import { findOrgUnits } from '../../integrations/dhis2/cube/org-units.ts';
import { measureReportOf } from '../../integrations/dhis2/formats/measure-report.ts';
import { indicatorCubeOf, indicatorData } from '../../integrations/dhis2/indicator-data.service.ts';
import { parameterPath, parametersNamed, stringParameter, type FhirOperation } from '../core/operation.ts';
import { measureId } from './measure.mapper.ts';

const invalid = (name: string, detail: string) =>
  new KingaError('operation.parameter-invalid', { name, detail }, { expression: parameterPath(name) });

/**
 * A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD; a dateTime's date part) as a day: a partial date is
 * its first day as a start and its last day as an end (periodEnd=2026-11 ends on 30 November).
 */
function dayOf(text: string, name: string, edge: 'start' | 'end'): IsoDate {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$/.exec(text);
  if (!match) {
    throw invalid(name, `${text} is not a date (YYYY-MM-DD)`);
  }
  const [, year, month, day] = match;
  if (day !== undefined) {
    const date: IsoDate = `${year}-${month}-${day}`;
    if (Number.isNaN(Date.parse(date)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
      throw invalid(name, `${text} is not a date`);
    }
    return date;
  }
  const first: IsoDate = `${year}-${month ?? '01'}-01`;
  if (Number.isNaN(Date.parse(first))) {
    throw invalid(name, `${text} is not a date`);
  }
  return edge === 'start' ? first : addDays(addMonths(first, month === undefined ? 12 : 1), -1);
}

/** The DHIS2 period that is exactly [start, end]: a day, an ISO week, a month, a quarter or a year. */
export function dhis2PeriodBetween(start: IsoDate, end: IsoDate): Period {
  for (const type of PeriodTypes) {
    const period = periodOf(type, start);
    if (period.start === start && period.end === end) {
      return period;
    }
  }
  throw new KingaError('indicator.evaluation-period-invalid', { start, end });
}

/** The one value of `name`: a date (valueDate, valueDateTime) or a string (GET queries, subject). */
function required(parameters: Parameters, name: string): string {
  const found = parametersNamed(parameters, name);
  if (found.length > 1) {
    throw invalid(name, 'given more than once');
  }
  const p = found[0];
  const value =
    p?.valueDate ?? p?.valueDateTime ?? p?.valueReference?.reference ?? stringParameter(parameters, name);
  if (value === undefined || value === '') {
    throw invalid(name, 'is required');
  }
  return value;
}

/**
 * Measure/[id]/$evaluate-measure (FHIR R4 operation, IHE mADX's "evaluate" of an aggregate): the
 * summary MeasureReport of the Measure's data set for one subject (a location or a health
 * facility, everything under it) and one DHIS2 period, computed by the cube the DHIS2 exports use.
 */
export const evaluateMeasureOperation: FhirOperation = {
  name: 'evaluate-measure',
  definitionId: 'Measure-evaluate-measure',
  resourceType: 'Measure',
  instance: true,
  methods: ['GET', 'POST'],
  requires: { resourceType: 'Measure', permission: 'r' },
  produces: 'application/fhir+json',
  summary: "A data set's summary MeasureReport for a location or facility and a DHIS2 period",
  description:
    'Parameters: periodStart and periodEnd (dates; together exactly one DHIS2 period: a day, an ISO week from Monday ' +
    'to Sunday, a calendar month, a quarter or a year), subject (Location/<id> or Organization/<id> of a health ' +
    'facility; its values cover everything under it) and reportType (summary, the default; population is taken ' +
    'as its R4 name). Answers a MeasureReport (type summary, status complete): one group per indicator with ' +
    'a value, counts as population counts, amounts and rates as measure scores, disaggregations as strata.',
  async run(context, input) {
    const dataSet = (Object.keys(DataSets) as DataSetCode[]).find((d) => measureId(d) === input.id);
    if (!dataSet) {
      throw new KingaError('fhir.not-found', { type: 'Measure', id: input.id ?? '' });
    }
    const { parameters } = input;
    const reportType = stringParameter(parameters, 'reportType') ?? 'summary';
    if (reportType !== 'summary' && reportType !== 'population') {
      throw new KingaError(
        'indicator.report-type-unsupported',
        { reportType },
        { expression: parameterPath('reportType') },
      );
    }
    const start = dayOf(required(parameters, 'periodStart'), 'periodStart', 'start');
    const end = dayOf(required(parameters, 'periodEnd'), 'periodEnd', 'end');
    const period = dhis2PeriodBetween(start, end);

    const subject = required(parameters, 'subject');
    const [type, id = ''] = subject.split('/');
    const kind = type === 'Location' ? 'location' : type === 'Organization' ? 'facility' : undefined;
    const orgUnit = kind && isUuid(id) ? (await findOrgUnits(context.db, [id], 'id')).get(id) : undefined;
    if (!orgUnit || orgUnit.kind !== kind || subject.split('/').length !== 2) {
      throw new KingaError(
        'indicator.subject-invalid',
        { subject },
        { expression: parameterPath('subject') },
      );
    }

    const cube = indicatorCubeOf(context.config, context.pool);
    const data = await indicatorData(cube, [dataSet], [period], [orgUnit]);
    return {
      kind: 'resource',
      resource: measureReportOf(dataSet, orgUnit, period, data.observations, {
        generated: new Date(),
        currency: context.config.CURRENCY,
      }),
    };
  },
};
