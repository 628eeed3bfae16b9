import type { Pool } from 'pg';
import { DataSets, Indicators, type DataSetCode } from '../../domain/indicator/catalogue.ts';
import type { IndicatorCube, OrgUnit } from '../../domain/indicator/cube.ts';
import type { Period } from '../../domain/indicator/periods.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Queryable } from '../../platform/database/queryable.ts';
import { cleanCode } from './codes.ts';
import { childrenOf, findOrgUnits } from './cube/org-units.ts';
import { indicatorCubeFrom, type SqlIndicatorCube } from './cube/sql-cube.ts';
import type { IndicatorData } from './formats/indicator-data.ts';
import { resolveOrgUnits } from './org-unit-directory.ts';
import { isDhis2Uid, metadataUid } from './uids.ts';

/*
 * What the pull endpoint, $evaluate-measure and the push share: naming the data sets and org units
 * a caller asks for, and computing their values with the one cube.
 */

const cubes = new WeakMap<Pool, SqlIndicatorCube>();

/**
 * The server's cube, one per database pool, so that routes, operations and jobs share its cache
 * of unchanged results (a job finds the pool with nativePool(orm)).
 */
export function indicatorCubeOf(config: Config, pool: Pool): SqlIndicatorCube {
  let cube = cubes.get(pool);
  if (!cube) {
    cube = indicatorCubeFrom(config, pool);
    cubes.set(pool, cube);
  }
  return cube;
}

/** A data set by its code (any case) or by the UID the metadata package gives it. */
export function dataSetNamed(ref: string): DataSetCode {
  const found = (Object.keys(DataSets) as DataSetCode[]).find((dataSet) => {
    const code = cleanCode(DataSets[dataSet].code);
    return code === cleanCode(ref) || metadataUid('DataSet', code) === ref;
  });
  if (!found) {
    throw new KingaError('indicator.data-set-unknown', {
      dataSet: ref,
      known: Object.keys(DataSets).join(', '),
    });
  }
  return found;
}

/**
 * The org units `refs` name, in their order: each by Kinga id, by DHIS2 UID (mapped, or derived
 * from the id of an unmapped record), by DHIS2 code, or by Kinga code (a code that is both a
 * location's and a facility's names the location). Any unknown ref is a 400 naming it.
 */
export async function orgUnitsNamed(db: Queryable, refs: readonly string[]): Promise<OrgUnit[]> {
  const ids = new Map<string, string>();
  const take = (matches: Map<string, { id: string } | 'ambiguous'>) => {
    for (const [ref, match] of matches) {
      if (match !== 'ambiguous' && !ids.has(ref)) {
        ids.set(ref, match.id);
      }
    }
  };
  const rest = () => refs.filter((ref) => !ids.has(ref));
  take(await findOrgUnits(db, refs.filter(isUuid), 'id'));
  take(await resolveOrgUnits(db, 'UID', rest().filter(isDhis2Uid)));
  take(await resolveOrgUnits(db, 'CODE', rest()));
  take(await findOrgUnits(db, rest(), 'code'));
  const unknown = rest();
  if (unknown.length > 0) {
    throw new KingaError('indicator.org-unit-unknown', { orgUnit: unknown.join(', ') });
  }
  const units = await findOrgUnits(db, [...new Set(ids.values())], 'id');
  return refs.map((ref) => units.get(ids.get(ref)!)!);
}

/**
 * The asked org units, each followed by its children when `children` is set (DHIS2's
 * children=true): a location's child locations, and its facilities when a data set is reported
 * per facility (a location data set has nothing to say of a facility). Each once.
 */
export async function withChildren(
  db: Queryable,
  orgUnits: readonly OrgUnit[],
  dataSets: readonly DataSetCode[],
  children: boolean,
): Promise<OrgUnit[]> {
  const facilities = dataSets.some((d) => DataSets[d].orgUnits === 'facility');
  // One read of every asked unit's children, then each unit followed by its own.
  const found = children ? await childrenOf(db, orgUnits) : [];
  const all = orgUnits.flatMap((unit) => [
    unit,
    ...found.filter((child) => child.parentId === unit.id && (facilities || child.kind === 'location')),
  ]);
  const seen = new Set<string>();
  return all.filter((unit) => !seen.has(unit.id) && seen.add(unit.id));
}

/** The cube's values of the data sets' indicators, for every period and org unit. */
export async function indicatorData(
  cube: IndicatorCube,
  dataSets: readonly DataSetCode[],
  periods: readonly Period[],
  orgUnits: readonly OrgUnit[],
): Promise<IndicatorData> {
  const indicators = Indicators.filter((i) => dataSets.includes(i.dataSet));
  const perPeriod = await Promise.all(
    periods.map((period) => cube.compute({ indicators, period, orgUnits })),
  );
  return { dataSets, periods, orgUnits, observations: perPeriod.flat() };
}
