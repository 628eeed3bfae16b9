import type { PushConflict } from './dhis2-push-run.entity.ts';

/** What a DHIS2 import summary says, whichever envelope it came in. */
export interface ImportOutcome {
  /** SUCCESS, WARNING or ERROR (DHIS2's ImportStatus). */
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  imported: number;
  updated: number;
  ignored: number;
  deleted: number;
  conflicts: PushConflict[];
  message: string | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON scalar as text ('' for anything else). */
const textOf = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function conflictOf(entry: unknown): PushConflict | null {
  if (!isObject(entry)) {
    return null;
  }
  const indexes = Array.isArray(entry['indexes'])
    ? entry['indexes'].filter((i) => typeof i === 'number')
    : undefined;
  return {
    object: textOf(entry['object']),
    value: textOf(entry['value']),
    ...(typeof entry['errorCode'] === 'string' ? { errorCode: entry['errorCode'] } : {}),
    ...(typeof entry['property'] === 'string' ? { property: entry['property'] } : {}),
    ...(indexes ? { indexes } : {}),
  };
}

/**
 * The import summary of DHIS2's answer to POST /api/dataValueSets (integrations.md §1.5): the
 * WebMessage envelope of current versions (`response` holding the ImportSummary), or the bare
 * ImportSummary of older ones (`importCount`, or `dataValueCount` as the XML form names it).
 * Conflicts keep their indexes into the values sent. Null when the body is neither (an HTML error
 * page, an async job reference).
 */
export function readImportSummary(body: unknown): ImportOutcome | null {
  if (!isObject(body)) {
    return null;
  }
  const summary = isObject(body['response']) ? body['response'] : body;
  const counts = isObject(summary['importCount'])
    ? summary['importCount']
    : isObject(summary['dataValueCount'])
      ? summary['dataValueCount']
      : null;
  if (!counts) {
    return null;
  }
  const rawStatus = (textOf(summary['status']) || textOf(body['status'])).toUpperCase();
  const conflicts = (Array.isArray(summary['conflicts']) ? summary['conflicts'] : [])
    .map(conflictOf)
    .filter((c): c is PushConflict => c !== null);
  const status =
    rawStatus === 'ERROR'
      ? 'ERROR'
      : rawStatus === 'WARNING' || conflicts.length > 0 || count(counts['ignored']) > 0
        ? 'WARNING'
        : 'SUCCESS';
  const message =
    typeof body['message'] === 'string'
      ? body['message']
      : typeof summary['description'] === 'string'
        ? summary['description']
        : null;
  return {
    status,
    imported: count(counts['imported']),
    updated: count(counts['updated']),
    ignored: count(counts['ignored']),
    deleted: count(counts['deleted']),
    conflicts,
    message,
  };
}
