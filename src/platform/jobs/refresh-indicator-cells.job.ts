import { periodOf } from '../../domain/indicator/periods.ts';
import { addMonths } from '../../domain/policy/calendar.ts';
import type { IsoDate } from '../../domain/shared/dates.ts';
import type { SqlIndicatorCube } from '../../integrations/dhis2/cube/sql-cube.ts';
import { indicatorCubeOf } from '../../integrations/dhis2/indicator-data.service.ts';
import type { Config } from '../config/config.ts';
import { nativePool } from '../database/orm.ts';
import type { ScheduledJob } from './job-service.ts';
import { todayIn } from './scheme-today.ts';

export interface RefreshIndicatorCellsData {
  /** The scheme's today (tests). */
  today?: string;
}

/**
 * Every few minutes (INDICATOR_CELLS_CRON): this month's and last month's indicator cells take in
 * the writes since the last run (src/integrations/dhis2/cube/cells.ts), and are built if they were
 * not. A request for them, or the monthly DHIS2 push, then recomputes only the few cells written
 * since, rather than a day's or a month's worth. Marks of months never built are dropped.
 */
export function refreshIndicatorCellsJob(config: Config): ScheduledJob<RefreshIndicatorCellsData> {
  return {
    name: 'refresh-indicator-cells',
    cron: config.INDICATOR_CELLS_CRON,
    async run(data, { orm }) {
      const today = data.today ?? todayIn(config.SCHEME_TIME_ZONE);
      return refreshIndicatorCells(indicatorCubeOf(config, await nativePool(orm)), today);
    },
  };
}

/** What the job does, on a cube of the caller's (the benchmark prepares its database with it). */
export async function refreshIndicatorCells(
  cube: SqlIndicatorCube,
  today: IsoDate,
): Promise<{ today: IsoDate; refreshed: string[]; forgotten: number }> {
  const refreshed: string[] = [];
  for (const month of [addMonths(today, -1), today]) {
    const period = periodOf('monthly', month);
    if (await cube.prepare(period)) {
      refreshed.push(period.code);
    }
  }
  const forgotten = await cube.forgetUnbuiltMarks();
  return { today, refreshed, forgotten };
}
