import { p } from '@mikro-orm/core';
import { KingaError } from './errors.ts';
import { newId } from './ids.ts';

/**
 * Columns every register record shares. `version` is MikroORM's optimistic lock and is also the
 * FHIR versionId; `deletedAt` marks a retired record, which is never removed (history stays).
 */
export const recordProperties = {
  id: p
    .uuid()
    .primary()
    .onCreate(() => newId()),
  version: p.integer().version(),
  createdAt: p.datetime().onCreate(() => new Date()),
  updatedAt: p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date()),
  deletedAt: p.datetime().nullable(),
};

export interface VersionedRecord {
  id: string;
  version: number;
  updatedAt: Date;
  deletedAt?: Date | null;
}

/**
 * A unique index over live records only: a retired record keeps its code in history and frees it.
 * The index is the guarantee; the use cases' checks only give the friendlier message.
 */
export function liveUnique(table: string, column: string): string {
  return `create unique index "${table}_${column}_live_unique" on "${table}" ("${column}") where "deleted_at" is null`;
}

/** Index for case- and accent-insensitive prefix search (kinga_fold is created by the first migration). */
export function foldIndex(table: string, column: string): string {
  return `create index "${table}_${column}_fold_index" on "${table}" (kinga_fold("${column}") text_pattern_ops)`;
}

/** Guards an update against a stale copy (FHIR If-Match, offline edits). */
export function assertVersion(record: VersionedRecord, expected: number | undefined, type: string): void {
  if (expected !== undefined && record.version !== expected) {
    throw new KingaError('record.version-conflict', {
      type,
      id: record.id,
      current: record.version,
      expected,
    });
  }
}

/** Marks a record changed even when no column of its own changed (e.g. a family gained a member). */
export function touch(record: VersionedRecord): void {
  record.updatedAt = new Date();
}
