import type {
  Bundle,
  Extension,
  MeasureReport,
  MeasureReportGroup,
  MeasureReportGroupPopulation,
  MeasureReportGroupStratifierStratum,
  Quantity,
} from '@medplum/fhirtypes';
import {
  Indicators,
  type IndicatorDefinition,
  type IndicatorUnit,
} from '../../../domain/indicator/catalogue.ts';
import type { Observation, OrgUnit } from '../../../domain/indicator/cube.ts';
import type { Period } from '../../../domain/indicator/periods.ts';
import {
  INDICATOR_CATEGORY_SYSTEM,
  INDICATOR_CODE_SYSTEM,
  measureUrl,
} from '../../../fhir/measure/measure.mapper.ts';
import { DHIS2_UID_SYSTEM } from '../../../fhir/shared/dhis2-identifiers.ts';
import { kingaCodeSystem } from '../../../fhir/shared/openimis.ts';
import { categoryCode, cleanCode, optionCode } from '../codes.ts';
import { orgUnitUid } from '../uids.ts';
import type { IndicatorData } from './indicator-data.ts';

/** Stratum component values: the DHIS2 category option codes (SEX_F), as ADX writes them. */
export const INDICATOR_OPTION_SYSTEM = kingaCodeSystem('indicator-category-option');
const MEASURE_POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';
const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const UCUM = 'http://unitsofmeasure.org';

/** A withheld value (small-cell suppression): there, but masked (the SANER report's pattern). */
const masked: Extension[] = [{ url: DATA_ABSENT_REASON, valueCode: 'masked' }];

const INITIAL_POPULATION = {
  coding: [{ system: MEASURE_POPULATION, code: 'initial-population', display: 'Initial Population' }],
};

export interface MeasureReportOptions {
  /** When the reports were made (MeasureReport.date). */
  generated: Date;
  /** The scheme's currency (ISO 4217), the unit of money indicators. */
  currency: string;
}

function unitOf(unit: IndicatorUnit, currency: string): Omit<Quantity, 'value'> {
  switch (unit) {
    case 'money':
      return { unit: currency, system: 'urn:iso:std:iso:4217', code: currency };
    case 'percent':
      return { unit: '%', system: UCUM, code: '%' };
    case 'per-1000':
      return { unit: 'per 1 000', system: UCUM, code: '/10*3' };
    case 'days':
      return { unit: 'days', system: UCUM, code: 'd' };
    case 'count':
      return { unit: '1', system: UCUM, code: '1' };
  }
}

/** A count is a population count (a rate or an amount is not): mADX's population.count. */
const isCount = (indicator: IndicatorDefinition) => indicator.unit === 'count' && !indicator.rate;

function population(observation: Observation): MeasureReportGroupPopulation[] {
  return [
    {
      code: INITIAL_POPULATION,
      ...(observation.value === null
        ? { _count: { extension: masked } }
        : { count: Number(observation.value) }),
    },
  ];
}

function score(observation: Observation, indicator: IndicatorDefinition, currency: string): Quantity {
  return observation.value === null
    ? { extension: masked }
    : { value: Number(observation.value), ...unitOf(indicator.unit, currency) };
}

function stratumOf(
  observation: Observation,
  indicator: IndicatorDefinition,
  currency: string,
): MeasureReportGroupStratifierStratum {
  return {
    component: indicator.categories
      .filter((category) => observation.strata[category] !== undefined)
      .map((category) => {
        const code = categoryCode(category);
        return {
          code: { coding: [{ system: INDICATOR_CATEGORY_SYSTEM, code }] },
          value: {
            coding: [
              { system: INDICATOR_OPTION_SYSTEM, code: optionCode(code, observation.strata[category]!) },
            ],
          },
        };
      }),
    ...(isCount(indicator) ? { population: population(observation) } : {}),
    measureScore: score(observation, indicator, currency),
  };
}

/**
 * One indicator's group: the total as the population count (counts) or the measure score (amounts,
 * rates), its strata under one stratifier whose components are the categories (mADX: a stratum's
 * measureScore is its value; counts also carry it as the stratum's population count).
 */
function groupOf(
  indicator: IndicatorDefinition,
  observations: readonly Observation[],
  currency: string,
): MeasureReportGroup {
  const code = cleanCode(indicator.code);
  const total = observations.find((o) => Object.keys(o.strata).length === 0);
  const strata = observations.filter((o) => Object.keys(o.strata).length > 0);
  const group: MeasureReportGroup = {
    code: {
      coding: [{ system: INDICATOR_CODE_SYSTEM, code, display: indicator.name }],
      text: indicator.name,
    },
  };
  if (total) {
    if (isCount(indicator)) {
      group.population = population(total);
    } else {
      group.measureScore = score(total, indicator, currency);
    }
  }
  if (strata.length > 0) {
    group.stratifier = [{ stratum: strata.map((o) => stratumOf(o, indicator, currency)) }];
  }
  return group;
}

/**
 * The summary MeasureReport of one data set's Measure for one org unit and period (IHE mADX: the
 * twin of one ADX group): subject the Location or the Organization (a health facility), with its
 * DHIS2 UID; one group per indicator that has a value, in the Measure's order. Zeros and strata
 * are as the cube gives them; a withheld value is a data-absent-reason `masked`.
 */
export function measureReportOf(
  dataSet: IndicatorData['dataSets'][number],
  orgUnit: OrgUnit,
  period: Period,
  observations: readonly Observation[],
  options: MeasureReportOptions,
): MeasureReport {
  const mine = observations.filter((o) => o.orgUnit === orgUnit.id && o.period === period.code);
  const groups = Indicators.filter((i) => i.dataSet === dataSet).flatMap((indicator) => {
    const values = mine.filter((o) => o.indicator === indicator.code);
    return values.length === 0 ? [] : [groupOf(indicator, values, options.currency)];
  });
  return {
    resourceType: 'MeasureReport',
    status: 'complete',
    type: 'summary',
    measure: measureUrl(dataSet),
    subject: {
      reference: `${orgUnit.kind === 'facility' ? 'Organization' : 'Location'}/${orgUnit.id}`,
      identifier: { system: DHIS2_UID_SYSTEM, value: orgUnitUid(orgUnit) },
      display: orgUnit.name,
    },
    date: options.generated.toISOString(),
    period: { start: period.start, end: period.end },
    ...(groups.length > 0 ? { group: groups } : {}),
  };
}

/** Every report of `data` (data set × org unit × period, in that order), reported or empty. */
export function measureReports(data: IndicatorData, options: MeasureReportOptions): MeasureReport[] {
  return data.dataSets.flatMap((dataSet) =>
    data.orgUnits.flatMap((orgUnit) =>
      data.periods.map((period) => measureReportOf(dataSet, orgUnit, period, data.observations, options)),
    ),
  );
}

/** The reports as a FHIR collection Bundle (what application/fhir+json asks of /dhis2/dataValueSets). */
export function measureReportBundle(
  data: IndicatorData,
  options: MeasureReportOptions,
): Bundle<MeasureReport> {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: options.generated.toISOString(),
    entry: measureReports(data, options).map((resource) => ({ resource })),
  };
}
