import type { Measure } from '@medplum/fhirtypes';
import type { Pool } from 'pg';
import { poolQueryable } from '../../platform/database/queryable.ts';
import { withMeta, writeStoredResources, type StoredResourceRow } from '../store/projection.ts';
import { catalogueMeasures } from './measure.mapper.ts';

interface StoredRow {
  id: string;
  version_id: number;
  deleted: boolean;
  content: string | null;
}

/**
 * Publishes the catalogue's Measures into the FHIR store, so that read, vread, history and search
 * serve them as they serve every other resource. The catalogue is code, not a register: each start
 * compares what it renders with what is stored and writes a new version only for a Measure that
 * changed (a new one, a changed indicator), and deletes one whose data set left the catalogue. A
 * transaction-scoped advisory lock serialises servers starting together.
 */
export async function publishMeasures(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select pg_advisory_xact_lock(hashtext('kinga.publish-measures'))`);
    const { rows } = await client.query<StoredRow>(
      `select id, version_id, deleted, content from fhir_resource where resource_type = 'Measure'`,
    );
    const stored = new Map(rows.map((row) => [row.id, row]));
    const now = new Date();
    const writes: StoredResourceRow[] = [];
    const write = (id: string, version: number, content: string | null) =>
      writes.push({
        resource_type: 'Measure',
        id,
        version_id: version,
        last_updated: now,
        deleted: content === null,
        content,
      });
    const measures = catalogueMeasures();
    for (const measure of measures) {
      const row = stored.get(measure.id!);
      if (row && !row.deleted && row.content && unchanged(measure, row.content)) {
        continue;
      }
      const version = (row?.version_id ?? 0) + 1;
      write(measure.id!, version, withMeta(measure, { id: measure.id!, version, updatedAt: now }));
    }
    const current = new Set(measures.map((m) => m.id));
    for (const row of rows) {
      if (!row.deleted && !current.has(row.id)) {
        write(row.id, row.version_id + 1, null);
      }
    }
    if (writes.length > 0) {
      await writeStoredResources(poolQueryable(client), writes, 'kinga-catalogue', null);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/** Whether the stored JSON is this Measure, rendered with the stored version's meta. */
function unchanged(measure: Measure, content: string): boolean {
  const meta = (JSON.parse(content) as Measure).meta;
  if (!meta?.versionId || !meta.lastUpdated) {
    return false;
  }
  const record = { id: measure.id!, version: Number(meta.versionId), updatedAt: new Date(meta.lastUpdated) };
  return withMeta(measure, record) === content;
}
