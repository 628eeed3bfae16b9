/**
 * Observations written by hand, as the cube emits them (the total first, then full strata; a
 * withheld count has value null), for the serialiser tests: two wards (one mapped to DHIS2, one
 * not) and a facility, November 2026.
 */
import type { Observation, OrgUnit } from '../../src/domain/indicator/cube.ts';
import { parsePeriod } from '../../src/domain/indicator/periods.ts';
import type { IndicatorData } from '../../src/integrations/dhis2/formats/indicator-data.ts';

export const NOVEMBER = parsePeriod('202611');

export const ward: OrgUnit = {
  id: '0192f0c4-5e2a-7b3c-8d4e-9f0a1b2c3d4e',
  kind: 'location',
  level: 'W',
  code: 'W-01 & <Kibaha>',
  name: 'Kibaha "North"',
  parentId: '0192f0c4-5e2a-7b3c-8d4e-000000000001',
  dhis2Uid: null,
  dhis2Code: null,
};

export const mappedWard: OrgUnit = {
  id: '0192f0c4-5e2a-7b3c-8d4e-9f0a1b2c3d4f',
  kind: 'location',
  level: 'W',
  code: 'W-02',
  name: 'Mlandizi',
  parentId: '0192f0c4-5e2a-7b3c-8d4e-000000000001',
  dhis2Uid: 'Xw2Uid00001',
  dhis2Code: 'OU_MLANDIZI',
};

export const facility: OrgUnit = {
  id: '0192f0c4-5e2a-7b3c-8d4e-9f0a1b2c3d50',
  kind: 'facility',
  level: 'HF',
  code: 'HF-7',
  name: 'Tumbi Hospital',
  parentId: ward.id,
  dhis2Uid: null,
  dhis2Code: null,
};

const at = (
  orgUnit: OrgUnit,
  indicator: string,
  strata: Observation['strata'],
  value: string | null,
): Observation => ({
  indicator,
  period: '202611',
  orgUnit: orgUnit.id,
  strata,
  value,
  ...(value === null ? { withheld: true as const } : {}),
});

export const enrolmentObservations: Observation[] = [
  at(ward, 'NB_INSUREES', {}, '7'),
  at(ward, 'NB_INSUREES', { AGE_GROUP: 'P0Y-P5Y', SEX: 'F' }, '3'),
  at(ward, 'NB_INSUREES', { AGE_GROUP: 'P19Y-P25Y', SEX: 'M' }, '2'),
  at(ward, 'NB_INSUREES', { AGE_GROUP: 'P6Y-P12Y', SEX: 'M' }, null),
  at(ward, 'NB_FAMILY', {}, '1'),
  at(
    ward,
    'NB_FAMILY',
    { AGE_GROUP: 'P76Y-P9999Y', SEX: 'O', PAYMENT_STATUS: 'PARTIALY_PAID', PAYMENT_STATE: 'NO_POLICY' },
    '1',
  ),
  at(ward, 'SUM_CONTRIBUTIONS', {}, '1200.50'),
  at(ward, 'SUM_CONTRIBUTIONS', { PRODUCT: 'pr-1' }, '1200.50'),
  at(mappedWard, 'NB_INSUREES', {}, '4'),
  at(mappedWard, 'NB_INSUREES', { AGE_GROUP: 'P26Y-P35Y', SEX: 'F' }, '4'),
];

export const enrolment: IndicatorData = {
  dataSets: ['ENROLMENT'],
  periods: [NOVEMBER],
  orgUnits: [ward, mappedWard],
  observations: enrolmentObservations,
};

export const claimObservations: Observation[] = [
  at(facility, 'CLAIMS_RECEIVED', {}, '0'),
  at(facility, 'CLAIMS_VALUATED', {}, '12'),
  at(facility, 'CLAIMS_VALUATED', { CLAIM_TYPE: 'EMERGENCY' }, '12'),
  at(facility, 'DAYS_TO_VALUATION', {}, '3.25'),
  at(facility, 'REJECTION_RATE', {}, '12.50'),
  at(facility, 'REJECTION_RATE', { REJECTION_REASON: '2' }, '12.50'),
];

export const claims: IndicatorData = {
  dataSets: ['PROCESSED_CLAIM'],
  periods: [NOVEMBER],
  orgUnits: [facility],
  observations: claimObservations,
};
