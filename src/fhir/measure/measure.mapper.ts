import type { Expression, Measure, MeasureGroup, MeasureGroupStratifierComponent } from '@medplum/fhirtypes';
import { v5 } from 'uuid';
import {
  Categories,
  DataSets,
  Indicators,
  type DataSetCode,
  type IndicatorDefinition,
  type IndicatorUnit,
} from '../../domain/indicator/catalogue.ts';
import { categoryCode, cleanCode } from '../../integrations/dhis2/codes.ts';
import { metadataUid } from '../../integrations/dhis2/uids.ts';
import { DHIS2_CODE_SYSTEM, DHIS2_UID_SYSTEM } from '../shared/dhis2-identifiers.ts';
import { KINGA, kingaCodeSystem, kingaProfile } from '../shared/openimis.ts';

/*
 * The indicator catalogue as FHIR Measures, in the IHE mADX style (integrations.md §3): one
 * Measure per DHIS2 data set, one group per indicator whose code is the DHIS2 data element code,
 * and one stratifier whose components are the indicator's disaggregations (its DHIS2 category
 * combo: ADX writes every category on each value, so the strata are the combo's cells).
 * MeasureReports (summary) carry the values under the same codes.
 */

export const MEASURE_PROFILE = kingaProfile('kinga-measure');
/** Group codes: the indicator (DHIS2 data element) codes. */
export const INDICATOR_CODE_SYSTEM = kingaCodeSystem('indicator');
/** Stratifier component codes: the disaggregation (DHIS2 category) codes. */
export const INDICATOR_CATEGORY_SYSTEM = kingaCodeSystem('indicator-category');
const MEASURE_POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';
const MEASURE_SCORING = 'http://terminology.hl7.org/CodeSystem/measure-scoring';
const RESOURCE_TYPES = 'http://hl7.org/fhir/resource-types';
/**
 * Populations and strata are computed by Kinga's indicator cube from the registers, not by an
 * expression engine: the criteria name the indicator or category the cube computes.
 */
// ExpressionLanguage is an extensible binding in R4; @medplum/fhirtypes types it as closed.
const CRITERIA_LANGUAGE = 'text/x-kinga-indicator' as Expression['language'];
/** Fixed namespace of the Measure ids (UUIDv5 of the canonical URL): the same id on every server. */
const MEASURE_ID_NAMESPACE = '6f1c8f62-3a5e-5b0e-9d43-2f7a4c1e8b90';

const unitTexts: Record<IndicatorUnit, string> = {
  count: 'a count',
  money: "an amount in the scheme's currency",
  percent: 'a percentage',
  'per-1000': 'a rate per 1 000',
  days: 'a number of days',
};

export function measureUrl(dataSet: DataSetCode): string {
  return `${KINGA}/Measure/${cleanCode(dataSet)}`;
}

/** The Measure's logical id: a UUID, as every id Kinga serves, derived from its canonical URL. */
export function measureId(dataSet: DataSetCode): string {
  return v5(measureUrl(dataSet), MEASURE_ID_NAMESPACE);
}

/** The data set's Measure; it depends on the catalogue only (register options are not in it). */
export function measureOf(dataSet: DataSetCode): Measure {
  const definition = DataSets[dataSet];
  const code = cleanCode(definition.code);
  const facility = definition.orgUnits === 'facility';
  return {
    resourceType: 'Measure',
    id: measureId(dataSet),
    meta: { profile: [MEASURE_PROFILE] },
    url: measureUrl(dataSet),
    identifier: [
      { use: 'official', system: DHIS2_CODE_SYSTEM, value: code },
      { use: 'secondary', system: DHIS2_UID_SYSTEM, value: metadataUid('DataSet', code) },
    ],
    name: code,
    title: definition.name,
    status: 'active',
    experimental: false,
    subjectCodeableConcept: {
      coding: [{ system: RESOURCE_TYPES, code: facility ? 'Organization' : 'Location' }],
    },
    publisher: 'Kinga',
    description:
      `The DHIS2 data set ${code}, reported monthly (or for any DHIS2 period) per ` +
      `${facility ? 'health facility' : 'location (ward, district, region)'}. ` +
      'Each group is one indicator (its code is the DHIS2 data element code); its stratifier components are the ' +
      'disaggregations (DHIS2 categories), whose options the DHIS2 metadata package at /dhis2/metadata lists.',
    scoring: { coding: [{ system: MEASURE_SCORING, code: 'cohort', display: 'Cohort' }] },
    group: Indicators.filter((i) => i.dataSet === dataSet).map(groupOf),
  };
}

function groupOf(indicator: IndicatorDefinition): MeasureGroup {
  const code = cleanCode(indicator.code);
  const group: MeasureGroup = {
    id: code.toLowerCase().replaceAll('_', '-'),
    code: {
      coding: [{ system: INDICATOR_CODE_SYSTEM, code, display: indicator.name }],
      text: indicator.name,
    },
    description: `${indicator.description} The value is ${unitTexts[indicator.unit]}${
      indicator.rate ? ', a rate that does not add up across org units or strata' : ''
    }; ${indicator.zeroIsSignificant ? 'zeros are reported' : 'strata without any record are left out'}.`,
    population: [
      {
        code: {
          coding: [{ system: MEASURE_POPULATION, code: 'initial-population', display: 'Initial Population' }],
        },
        description: indicator.description,
        criteria: { language: CRITERIA_LANGUAGE, expression: code },
      },
    ],
  };
  if (indicator.categories.length > 0) {
    // mea-1: a stratifier made of components has no code, description or criteria of its own.
    group.stratifier = [{ component: indicator.categories.map(componentOf) }];
  }
  return group;
}

function componentOf(category: keyof typeof Categories): MeasureGroupStratifierComponent {
  const definition = Categories[category];
  const code = categoryCode(definition.code);
  return {
    code: {
      coding: [{ system: INDICATOR_CATEGORY_SYSTEM, code, display: definition.name }],
      text: definition.name,
    },
    criteria: { language: CRITERIA_LANGUAGE, expression: code },
  };
}

/** Every Measure of the catalogue, one per data set. */
export function catalogueMeasures(): Measure[] {
  return (Object.keys(DataSets) as DataSetCode[]).map(measureOf);
}
