import { raw, sql } from '../../platform/database/sql.ts';
import type { Queryable } from '../../platform/database/queryable.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import type { ResourcePayload } from '../core/types.ts';

interface Row {
  id: string;
  version_id: number;
  /** Milliseconds since the epoch (the pool's type parsers would hand timestamps back as text). */
  last_updated: number;
  deleted: boolean;
  content: string | null;
}

const COLUMNS = raw(
  'id, version_id, (extract(epoch from last_updated) * 1000)::float8 as last_updated, deleted, content',
);

function payload(resourceType: string, row: Row): ResourcePayload {
  return {
    resourceType,
    id: row.id,
    versionId: row.version_id,
    lastUpdated: new Date(row.last_updated).toISOString(),
    json: row.content ?? '',
  };
}

/** The current version, or 404/410. Ids that are not UUIDs cannot exist here, so they are 404 too. */
export async function readCurrent(db: Queryable, resourceType: string, id: string): Promise<ResourcePayload> {
  if (!isUuid(id)) {
    throw new KingaError('fhir.not-found', { type: resourceType, id });
  }
  const [row] = await db.query<Row>(
    sql`select ${COLUMNS} from fhir_resource
        where resource_type = ${resourceType} and id = ${id}`,
  );
  if (!row) {
    throw new KingaError('fhir.not-found', { type: resourceType, id });
  }
  if (row.deleted) {
    throw new KingaError('fhir.deleted', { type: resourceType, id });
  }
  return payload(resourceType, row);
}

export async function readVersion(
  db: Queryable,
  resourceType: string,
  id: string,
  versionId: string,
): Promise<ResourcePayload> {
  const version = Number(versionId);
  if (!isUuid(id) || !Number.isInteger(version) || version < 1) {
    throw new KingaError('fhir.version-not-found', { type: resourceType, id, version: versionId });
  }
  // The current version is in fhir_resource, the versions it replaced in fhir_resource_version.
  const [row] = await db.query<Row>(
    sql`select ${COLUMNS} from fhir_resource
        where resource_type = ${resourceType} and id = ${id} and version_id = ${version}
        union all
        select ${COLUMNS} from fhir_resource_version
        where resource_type = ${resourceType} and id = ${id} and version_id = ${version}`,
  );
  if (!row) {
    await readCurrentOrDeleted(db, resourceType, id);
    throw new KingaError('fhir.version-not-found', { type: resourceType, id, version: versionId });
  }
  if (row.deleted) {
    throw new KingaError('fhir.deleted', { type: resourceType, id });
  }
  return payload(resourceType, row);
}

async function readCurrentOrDeleted(db: Queryable, resourceType: string, id: string): Promise<void> {
  const [row] = await db.query<{ id: string }>(
    sql`select id from fhir_resource where resource_type = ${resourceType} and id = ${id}`,
  );
  if (!row) {
    throw new KingaError('fhir.not-found', { type: resourceType, id });
  }
}

export interface HistoryEntry {
  versionId: number;
  lastUpdated: string;
  deleted: boolean;
  json: string | null;
}

/**
 * Every version, newest first (FHIR http.html#history), up to `limit` and optionally before a
 * version: the current one (fhir_resource) and those it replaced (fhir_resource_version).
 */
export async function readHistory(
  db: Queryable,
  resourceType: string,
  id: string,
  options: { limit: number; beforeVersion?: number; since?: Date },
): Promise<HistoryEntry[]> {
  if (!isUuid(id)) {
    throw new KingaError('fhir.not-found', { type: resourceType, id });
  }
  const before = options.beforeVersion ?? 2147483647;
  const since = options.since ?? new Date(0);
  const rows = await db.query<Row>(
    sql`select ${COLUMNS} from fhir_resource
        where resource_type = ${resourceType} and id = ${id}
          and version_id < ${before} and last_updated >= ${since}
        union all
        (select ${COLUMNS} from fhir_resource_version
          where resource_type = ${resourceType} and id = ${id}
            and version_id < ${before} and last_updated >= ${since}
          order by version_id desc limit ${options.limit})
        order by version_id desc limit ${options.limit}`,
  );
  if (rows.length === 0 && options.beforeVersion === undefined) {
    await readCurrentOrDeleted(db, resourceType, id);
  }
  return rows.map((row) => ({
    versionId: row.version_id,
    lastUpdated: new Date(row.last_updated).toISOString(),
    deleted: row.deleted,
    json: row.content,
  }));
}

/** Current JSON of several resources of one type, for searchset pages and _include. */
export async function readMany(
  db: Queryable,
  resourceType: string,
  ids: string[],
): Promise<Map<string, ResourcePayload>> {
  const result = new Map<string, ResourcePayload>();
  if (ids.length === 0) {
    return result;
  }
  const rows = await db.query<Row>(
    sql`select ${COLUMNS} from fhir_resource
        where resource_type = ${resourceType} and id = any(${ids}::uuid[]) and not deleted`,
  );
  for (const row of rows) {
    result.set(row.id, payload(resourceType, row));
  }
  return result;
}
