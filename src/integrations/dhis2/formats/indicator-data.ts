import {
  indicatorNamed,
  type DataSetCode,
  type IndicatorDefinition,
} from '../../../domain/indicator/catalogue.ts';
import type { Observation, OrgUnit } from '../../../domain/indicator/cube.ts';
import type { Period } from '../../../domain/indicator/periods.ts';

/**
 * What every format serialises: the cube's observations for some data sets, periods and org units,
 * with the periods and org units they name. The serialisers are pure functions of it.
 */
export interface IndicatorData {
  dataSets: readonly DataSetCode[];
  periods: readonly Period[];
  orgUnits: readonly OrgUnit[];
  observations: readonly Observation[];
}

export function indicatorOf(observation: Observation): IndicatorDefinition {
  const indicator = indicatorNamed(observation.indicator);
  if (!indicator) {
    throw new Error(`Indicator ${observation.indicator} is not in the catalogue`);
  }
  return indicator;
}

/**
 * Whether DHIS2 can store the observation as a data value: a disaggregated data element holds one
 * value per category option combo and DHIS2 adds them up itself, so only full strata are sent
 * (the cube's total of such an indicator stays out, and so do facts without an option for every
 * category, which the cube counts in the total only); a data element without disaggregation holds
 * its total. A withheld value (small-cell suppression) never leaves the system.
 */
export function isDhis2Value(observation: Observation): observation is Observation & { value: string } {
  if (observation.value === null || observation.withheld) {
    return false;
  }
  const categories = indicatorOf(observation).categories;
  return categories.every((category) => observation.strata[category] !== undefined);
}

/** Lookup of the org units and periods named by observations. */
export function lookups(data: IndicatorData): {
  orgUnit: (id: string) => OrgUnit;
  period: (code: string) => Period;
} {
  const orgUnits = new Map(data.orgUnits.map((o) => [o.id, o]));
  const periods = new Map(data.periods.map((p) => [p.code, p]));
  return {
    orgUnit: (id) => {
      const found = orgUnits.get(id);
      if (!found) {
        throw new Error(`Org unit ${id} of an observation is not in the data`);
      }
      return found;
    },
    period: (code) => {
      const found = periods.get(code);
      if (!found) {
        throw new Error(`Period ${code} of an observation is not in the data`);
      }
      return found;
    },
  };
}
