import type { CategoryCode, IndicatorDefinition } from '../../../domain/indicator/catalogue.ts';
import type { CubeQuery, Observation } from '../../../domain/indicator/cube.ts';
import { STRATA_SEPARATOR } from './rollup.ts';

/** A row of a cube statement: `strata` null for the total, `value` null for a rate without denominator. */
export interface CubeRow {
  indicator: string;
  root: string;
  strata: string | null;
  value: string | null;
}

/**
 * The rows of a computation as observations, by indicator and org unit in the query's order, the
 * total first, then the strata by their options. A rate without a denominator is left out; a
 * zeroIsSignificant indicator's missing total is a zero (openIMIS sends no zeros; DHIS2 keeps them
 * only for such data elements); a count of 1 … suppressBelow−1 is withheld (value null).
 */
export function observationsOf(
  query: CubeQuery,
  rows: readonly CubeRow[],
  suppressBelow: number,
): Observation[] {
  // Rows by indicator, then by org unit (nested maps: no key string per row).
  const buckets = new Map<string, Map<string, CubeRow[]>>();
  for (const row of rows) {
    if (row.value === null) {
      continue;
    }
    let byRoot = buckets.get(row.indicator);
    if (!byRoot) {
      byRoot = new Map();
      buckets.set(row.indicator, byRoot);
    }
    const list = byRoot.get(row.root);
    if (list) {
      list.push(row);
    } else {
      byRoot.set(row.root, [row]);
    }
  }
  const observations: Observation[] = [];
  for (const indicator of query.indicators) {
    const observe = (orgUnit: string, strata: string | null, value: string) =>
      observations.push(observation(indicator, query.period.code, orgUnit, strata, value, suppressBelow));
    for (const orgUnit of query.orgUnits) {
      const list = (buckets.get(indicator.code)?.get(orgUnit.id) ?? []).sort(byStrata);
      if (indicator.zeroIsSignificant && !indicator.rate && list[0]?.strata !== null) {
        observe(orgUnit.id, null, indicator.unit === 'money' ? '0.00' : '0');
      }
      for (const row of list) {
        observe(orgUnit.id, row.strata, row.value!);
      }
    }
  }
  return observations;
}

function byStrata(a: CubeRow, b: CubeRow): number {
  if (a.strata === b.strata) {
    return 0;
  }
  if (a.strata === null || b.strata === null) {
    return a.strata === null ? -1 : 1;
  }
  return a.strata < b.strata ? -1 : 1;
}

function observation(
  indicator: IndicatorDefinition,
  period: string,
  orgUnit: string,
  strata: string | null,
  value: string,
  suppressBelow: number,
): Observation {
  const result: Observation = {
    indicator: indicator.code,
    period,
    orgUnit,
    strata: strataOf(indicator, strata),
    value,
  };
  if (indicator.unit === 'count' && suppressBelow > 0) {
    const count = Number(value);
    if (count >= 1 && count < suppressBelow) {
      result.value = null;
      result.withheld = true;
    }
  }
  return result;
}

function strataOf(
  indicator: IndicatorDefinition,
  strata: string | null,
): Partial<Record<CategoryCode, string>> {
  const result: Partial<Record<CategoryCode, string>> = {};
  if (strata !== null) {
    const options = strata.split(STRATA_SEPARATOR);
    const categories = indicator.categories;
    for (let index = 0; index < categories.length; index++) {
      result[categories[index]!] = options[index]!;
    }
  }
  return result;
}
