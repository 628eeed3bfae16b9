import {
  ChangeSetType,
  type EntityManager,
  type EventSubscriber,
  type FlushEventArgs,
} from '@mikro-orm/core';
import type { Resource } from '@medplum/fhirtypes';
import { emQueryable, type Queryable } from '../../platform/database/queryable.ts';
import { sql, type Sql } from '../../platform/database/sql.ts';
import { writeContextOf, type WriteContext } from '../../platform/database/unit-of-work.ts';
import { touch, type VersionedRecord } from '../../domain/shared/record.ts';
import type { ResourcePayload } from '../core/types.ts';

/** How one kind of register record is published as a FHIR resource. */
export interface Projector<E extends VersionedRecord = VersionedRecord> {
  resourceType: string;
  entity: abstract new (...args: never[]) => E;
  /** Renders live records (deleted ones are not rendered); may load what the mapping needs. */
  render(em: EntityManager, records: E[]): Promise<Map<E, Resource>>;
  /** Records of other registers whose change also changes this one's published form. */
  dependsOn?: readonly ProjectionDependency<E>[];
}

/**
 * "When a flush updates records of `entity` (in one of `properties`, or in any), `dependents` are
 * published again": a Coverage (one member's cover) shows its policy's status and balance, which
 * change on the policy row alone. The dependents are touched inside the same flush, so each gets a
 * new version of its own (its FHIR versionId and history move with what it shows) in the same
 * transaction; no use case has to know which resources show its record.
 */
export interface ProjectionDependency<E extends VersionedRecord = VersionedRecord> {
  entity: abstract new (...args: never[]) => object;
  properties?: readonly string[];
  /** The records to publish again, loaded through `em` (the flushing transaction's). */
  dependents(em: EntityManager, changed: object[]): Promise<E[]>;
}

const written = new WeakMap<EntityManager, Map<string, ResourcePayload>>();

/** What the last flush of `em` published, by `Type/id`: lets a write answer without reading back. */
export function publishedBy(
  em: EntityManager,
  resourceType: string,
  id: string,
): ResourcePayload | undefined {
  return written.get(em)?.get(`${resourceType}/${id}`);
}

/** Orders the resource's keys as FHIR readers expect: resourceType, id, meta, then the rest. */
export function withMeta(resource: Resource, record: VersionedRecord): string {
  const { resourceType, ...rest } = resource as Resource & Record<string, unknown>;
  delete (rest as { id?: unknown }).id;
  delete (rest as { meta?: unknown }).meta;
  const meta = {
    ...(resource.meta ?? {}),
    versionId: String(record.version),
    lastUpdated: record.updatedAt.toISOString(),
  };
  return JSON.stringify({ resourceType, id: record.id, meta, ...rest });
}

/**
 * Keeps fhir_resource (current) and fhir_resource_version (the versions replaced) in step with the
 * registers. It runs after each flush, inside the flushing transaction, for every record the flush
 * created or changed, whichever use case did it; a flush outside a transaction is refused, because
 * the published form could then drift from the record.
 */
export class FhirProjection implements EventSubscriber {
  readonly #projectors: Projector[];

  constructor(projectors: Projector[]) {
    this.#projectors = projectors;
  }

  /** Every projector of the record's class: one register record may publish several resources. */
  projectorsFor(entity: object): Projector[] {
    return this.#projectors.filter((p) => entity instanceof p.entity);
  }

  async onFlush(args: FlushEventArgs): Promise<void> {
    if (args.em.isInTransaction()) {
      await this.#touchDependents(args);
      return;
    }
    if (args.uow.getChangeSets().some((cs) => this.projectorsFor(cs.entity).length > 0)) {
      throw new Error('Register records must be written inside inTransaction(): their FHIR form would drift');
    }
  }

  /**
   * Adds the dependents of the flush's updates to it (MikroORM lets onFlush add change sets). The
   * change sets are read again for each dependency, so a dependent touched by one is seen by the next.
   */
  async #touchDependents(args: FlushEventArgs): Promise<void> {
    for (const dependency of this.#projectors.flatMap((p) => p.dependsOn ?? [])) {
      const changeSets = args.uow.getChangeSets();
      const changed = changeSets
        .filter(
          (cs) =>
            cs.type === ChangeSetType.UPDATE &&
            cs.entity instanceof dependency.entity &&
            (!dependency.properties || dependency.properties.some((name) => name in cs.payload)),
        )
        .map((cs) => cs.entity as object);
      if (changed.length === 0) {
        continue;
      }
      for (const record of await dependency.dependents(args.em, changed)) {
        if (record.deletedAt != null) {
          continue;
        }
        touch(record);
        if (changeSets.some((cs) => cs.entity === record)) {
          args.uow.recomputeSingleChangeSet(record);
        } else {
          args.uow.computeChangeSet(record);
        }
      }
    }
  }

  async afterFlush(args: FlushEventArgs): Promise<void> {
    const records = new Set<VersionedRecord>();
    for (const changeSet of args.uow.getChangeSets()) {
      records.add(changeSet.entity as VersionedRecord);
    }
    const rows = await this.#storedRows(args.em, [...records]);
    if (rows.length === 0) {
      return;
    }
    const context = writeContextOf(args.em);
    await writeStoredResources(emQueryable(args.em), rows, context.actor ?? null, context.requestId ?? null);
    remember(args.em, rows);
  }

  /**
   * Inserts new records and publishes them in one statement, with no unit of work: `insert` (the
   * records' own insert, which PostgreSQL runs as a CTE of the statement writing the published
   * forms) and their publication commit together or not at all. For records written once and
   * never changed on the path every visit takes (eligibility enquiries): a transaction's begin and
   * commit and the ORM's insert would be three more round trips. Each publication is rendered
   * with its own entity manager, which then answers `publishedBy`, and recorded with its own
   * writer. `db` is the pool, or a transaction Bundle's connection.
   */
  async insertPublished(db: Queryable, publications: readonly Publication[], insert: Sql): Promise<void> {
    const rendered: { em: EntityManager; rows: AttributedRow[] }[] = [];
    for (const { em, records, context } of publications) {
      const attribution = { actor: context.actor ?? null, request_id: context.requestId ?? null };
      const rows = await this.#storedRows(em, records);
      rendered.push({ em, rows: rows.map((row) => ({ ...row, ...attribution })) });
    }
    await writeAttributedRows(
      db,
      rendered.flatMap((r) => r.rows),
      insert,
    );
    for (const { em, rows } of rendered) {
      remember(em, rows);
    }
  }

  /** The stored form of each record under every projector of its class. */
  async #storedRows(em: EntityManager, records: VersionedRecord[]): Promise<StoredResourceRow[]> {
    const byProjector = new Map<Projector, VersionedRecord[]>();
    for (const record of records) {
      for (const projector of this.projectorsFor(record)) {
        const list = byProjector.get(projector) ?? [];
        list.push(record);
        byProjector.set(projector, list);
      }
    }
    const rows: StoredResourceRow[] = [];
    for (const [projector, ofProjector] of byProjector) {
      const live = ofProjector.filter((r) => r.deletedAt == null);
      const rendered = await projector.render(em, live);
      for (const record of ofProjector) {
        const resource = rendered.get(record);
        rows.push({
          resource_type: projector.resourceType,
          id: record.id,
          version_id: record.version,
          last_updated: record.updatedAt,
          deleted: record.deletedAt != null,
          content: record.deletedAt == null && resource ? withMeta(resource, record) : null,
        });
      }
    }
    return rows;
  }
}

/** The FHIR projection wired into `em`'s ORM (app.ts openDatabase). */
export function projectionOf(em: EntityManager): FhirProjection {
  for (const subscriber of em.getEventManager().getSubscribers()) {
    if (subscriber instanceof FhirProjection) {
      return subscriber;
    }
  }
  throw new Error('The ORM was opened without the FHIR projection');
}

/** Keeps what `em` published, for `publishedBy`. */
function remember(em: EntityManager, rows: readonly StoredResourceRow[]): void {
  const published = written.get(em) ?? new Map<string, ResourcePayload>();
  for (const row of rows) {
    published.set(`${row.resource_type}/${row.id}`, {
      resourceType: row.resource_type,
      id: row.id,
      versionId: row.version_id,
      lastUpdated: row.last_updated.toISOString(),
      json: row.content ?? '',
    });
  }
  written.set(em, published);
}

/** Records to publish, rendered with `em` and recorded as written by `context`. */
export interface Publication {
  em: EntityManager;
  records: VersionedRecord[];
  context: WriteContext;
}

/** One resource version as the store keeps it: content null for a deletion. */
export interface StoredResourceRow {
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: Date;
  deleted: boolean;
  content: string | null;
}

/**
 * Writes the current form of each resource, with who wrote it, in one statement, and moves the
 * form it replaces (if any) to fhir_resource_version: every flush's records, and the catalogue's
 * Measures (publish-measures.ts). The statement text and its two parameters are the same for 1 row
 * or 10 000: no parameter limit, nothing to build per flush, and it stays prepared on each
 * connection. The rows' columns travel as one JSON array (json_to_recordset); their contents, each
 * already JSON text, as one text parameter joined by U+001F, which JSON text never holds (RFC 8259
 * §7: control characters are escaped). Inside a JSON array each content would be escaped again by
 * JSON.stringify and unescaped by PostgreSQL, which was most of the statement's cost; one text[]
 * would be escaped by pg in JavaScript and read twice by PostgreSQL.
 */
export async function writeStoredResources(
  db: Queryable,
  rows: readonly StoredResourceRow[],
  actor: string | null,
  requestId: string | null,
): Promise<void> {
  await writeAttributedRows(
    db,
    rows.map((row) => ({ ...row, actor, request_id: requestId })),
  );
}

/** A version with who wrote it, as fhir_resource and fhir_resource_version record it. */
interface AttributedRow extends StoredResourceRow {
  actor: string | null;
  request_id: string | null;
}

/** Joins the contents of one statement's rows: never in JSON text, where controls are escaped. */
const CONTENT_SEPARATOR = '\u001f';

/** writeStoredResources with each row's own writer, and `alongWith` run in the same statement. */
async function writeAttributedRows(
  db: Queryable,
  rows: readonly AttributedRow[],
  alongWith?: Sql,
): Promise<void> {
  // A data-modifying CTE runs whether or not the statement reads it (PostgreSQL 15 §7.8.4), but
  // one the statement does not read runs after it. `replaced` moves the current rows the insert
  // below overwrites, so the insert reads it first; FOR UPDATE takes each row as last committed,
  // should another transaction have written it since this statement's snapshot.
  const along = alongWith ? sql`along as (${alongWith}),` : sql``;
  const contents: string[] = [];
  const columns = rows.map(({ content, ...row }) => {
    if (content === null) {
      return { ...row, part: null };
    }
    if (content.includes(CONTENT_SEPARATOR)) {
      throw new Error(`${row.resource_type}/${row.id}: its content is not JSON text (it holds U+001F)`);
    }
    contents.push(content);
    return { ...row, part: contents.length };
  });
  await db.query(
    sql`
    with ${along} incoming as (
      select r.resource_type, r.id, r.version_id, r.last_updated, r.deleted, c.content, r.actor, r.request_id
        from json_to_recordset(${JSON.stringify(columns)}::json)
          as r(resource_type text, id uuid, version_id int, last_updated timestamptz, deleted boolean,
               part int, actor text, request_id text)
        left join unnest(string_to_array(${contents.join(CONTENT_SEPARATOR)}::text, chr(31)))
          with ordinality as c(content, part) on c.part = r.part
    ), replaced as (
      insert into fhir_resource_version (resource_type, id, version_id, last_updated, deleted, content, actor, request_id)
      select f.resource_type, f.id, f.version_id, f.last_updated, f.deleted, f.content, f.actor, f.request_id
        from fhir_resource f join incoming i on i.resource_type = f.resource_type and i.id = f.id
         for update of f
      returning 1
    )
    insert into fhir_resource (resource_type, id, version_id, last_updated, deleted, content, actor, request_id)
    select resource_type, id, version_id, last_updated, deleted, content, actor, request_id from incoming
     where (select count(*) from replaced) >= 0
    on conflict (resource_type, id) do update set version_id = excluded.version_id,
      last_updated = excluded.last_updated, deleted = excluded.deleted, content = excluded.content,
      actor = excluded.actor, request_id = excluded.request_id`.prepared(),
  );
}
