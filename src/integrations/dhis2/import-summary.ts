/*
 * DHIS2's answer to POST /api/dataValueSets (integrations.md §1.5; dhis2-core ImportSummary and
 * ImportConflict): a WebMessage envelope around an ImportSummary, 200 when every value was taken
 * and 409 Conflict, status WARNING, when some were rejected (their conflicts point back by index
 * into dataValues). Kinga answers DHIS2's own pushes this way, so a DHIS2 sender reads it as it
 * reads another DHIS2's.
 */

export interface ImportCount {
  imported: number;
  updated: number;
  ignored: number;
  deleted: number;
}

export interface ImportConflict {
  object: string;
  objects: Record<string, string>;
  value: string;
  errorCode: string;
  property: string;
  indexes: number[];
}

/** A rejected value: the DHIS2 error code and property it is about, the offending id, its index. */
export interface Rejection {
  index: number;
  errorCode: string;
  property: string;
  object: string;
  message: string;
}

export interface ImportOptionsEcho {
  orgUnitIdScheme: string;
  dataElementIdScheme: string;
  importStrategy: string;
  dryRun: boolean;
}

export interface WebMessage {
  httpStatus: 'OK' | 'Conflict';
  httpStatusCode: 200 | 409;
  status: 'OK' | 'WARNING';
  message: string;
  response: {
    responseType: 'ImportSummary';
    status: 'SUCCESS' | 'WARNING';
    importOptions: Record<string, unknown>;
    description: string;
    importCount: ImportCount;
    conflicts: ImportConflict[];
    rejectedIndexes: number[];
    dataSetComplete: 'false';
  };
}

/** Rejections of one error about one object are one conflict listing every index, as DHIS2 groups them. */
function conflictsOf(rejections: readonly Rejection[]): ImportConflict[] {
  const byKey = new Map<string, ImportConflict>();
  for (const r of rejections) {
    const key = `${r.errorCode} ${r.property} ${r.object}`;
    const conflict = byKey.get(key);
    if (conflict) {
      conflict.indexes.push(r.index);
    } else {
      byKey.set(key, {
        object: r.object,
        objects: { [r.property]: r.object },
        value: r.message,
        errorCode: r.errorCode,
        property: r.property,
        indexes: [r.index],
      });
    }
  }
  return [...byKey.values()];
}

export function importSummary(
  count: ImportCount,
  rejections: readonly Rejection[],
  options: ImportOptionsEcho,
): WebMessage {
  const conflicts = conflictsOf(rejections);
  const rejected = conflicts.length > 0;
  return {
    httpStatus: rejected ? 'Conflict' : 'OK',
    httpStatusCode: rejected ? 409 : 200,
    status: rejected ? 'WARNING' : 'OK',
    // DHIS2's own wording, typo included: clients match on it.
    message: rejected
      ? 'One more conflicts encountered, please check import summary.'
      : 'Import was successful.',
    response: {
      responseType: 'ImportSummary',
      status: rejected ? 'WARNING' : 'SUCCESS',
      importOptions: {
        idSchemes: {
          orgUnitIdScheme: options.orgUnitIdScheme,
          dataElementIdScheme: options.dataElementIdScheme,
        },
        dryRun: options.dryRun,
        async: false,
        importStrategy: options.importStrategy,
        mergeMode: 'REPLACE',
      },
      description: 'Import process completed successfully',
      importCount: count,
      conflicts,
      rejectedIndexes: [...new Set(rejections.map((r) => r.index))].sort((a, b) => a - b),
      dataSetComplete: 'false',
    },
  };
}
