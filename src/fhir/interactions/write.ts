import { LockMode } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import type { VersionedRecord } from '../../domain/shared/record.ts';
import { emQueryable } from '../../platform/database/queryable.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import {
  becauseOf,
  interactionsOf,
  type MappingContext,
  type ResourceModule,
} from '../core/resource-module.ts';
import type { FhirContext, FhirRequest, FhirResult, ResourcePayload } from '../core/types.ts';
import { matchingIds } from '../search/search.ts';
import { publishedBy } from '../store/projection.ts';
import { readCurrent } from '../store/resource-store.ts';
import { acceptIncoming, withElementPaths } from './incoming.ts';

function mappingOf(context: FhirContext): MappingContext {
  const { clientId, facilityId } = context.principal;
  return {
    config: context.config,
    baseUrl: context.baseUrl,
    caller: { clientId, ...(facilityId ? { facilityId } : {}) },
  };
}

function writeContextOf(context: FhirContext): { actor: string; requestId: string } {
  return { actor: context.principal.clientId, requestId: context.requestId };
}

type WriteSide = Required<Pick<ResourceModule, 'toInput' | 'update' | 'remove'>> &
  Pick<ResourceModule, 'create'>;

/** The module, with its write side for `interaction`, or 405 when the type does not allow it. */
function writeSide(module: ResourceModule, interaction: 'create' | 'update' | 'delete'): WriteSide {
  if (!interactionsOf(module).includes(interaction)) {
    throw new KingaError('fhir.interaction-not-supported', {
      interaction,
      type: module.type,
      because: becauseOf(module),
    });
  }
  // interactionsOf has checked that the members this interaction calls are present.
  return module as WriteSide;
}

function published(
  em: FhirContext['em'],
  module: { type: string },
  record: VersionedRecord,
): ResourcePayload {
  const payload = publishedBy(em, module.type, record.id);
  if (!payload) {
    throw new Error(`${module.type}/${record.id} was written but not published`);
  }
  return payload;
}

/**
 * create (http.html#create) and conditional create (If-None-Exist): 0 matches create, 1 match
 * answers it with 200, more than one is 412. Identical concurrent conditional creates are
 * serialised on an advisory lock keyed by the condition, so exactly one of them creates. A
 * module's `createAtOnce` runs in no transaction of its own (its one statement is atomic), except
 * under a condition; in a transaction Bundle it runs on the transaction's connection.
 */
export async function create(
  context: FhirContext,
  module: ResourceModule,
  request: FhirRequest,
): Promise<FhirResult> {
  const write = writeSide(module, 'create');
  const resource = acceptIncoming(module, request.body);
  const mapping = mappingOf(context);
  const input = await withElementPaths(module, async () => write.toInput(resource, mapping));
  const withId = request.assignedId ? { ...(input as object), id: request.assignedId } : input;
  const createdIn = (em: FhirContext['em'], db: FhirContext['db']) =>
    withElementPaths(
      module,
      async (): Promise<VersionedRecord> => {
        if (module.createAtOnce) {
          return module.createAtOnce(db, em, withId, mapping, writeContextOf(context));
        }
        const created = await write.create!(em, withId, mapping);
        await em.flush();
        return created;
      },
      input,
    );
  if (module.createAtOnce && request.ifNoneExist === undefined) {
    // One statement writes the record and its published forms: no transaction to open.
    return answerTo(context, module, await createdIn(context.em, context.db));
  }
  return inTransaction(context.em, writeContextOf(context), async (tx) => {
    const txContext = { ...context, em: tx, db: emQueryable(tx) };
    if (request.ifNoneExist !== undefined) {
      const condition = new URLSearchParams(request.ifNoneExist);
      condition.sort();
      await (tx as SqlEntityManager).execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
        `${module.type}?${condition.toString()}`,
      ]);
      const ids = await matchingIds(txContext, module, condition, 2);
      if (ids.length > 1) {
        throw new KingaError('fhir.conditional-multiple', { condition: request.ifNoneExist });
      }
      if (ids[0]) {
        return { outcome: 'existing', resource: await readCurrent(txContext.db, module.type, ids[0]) };
      }
    }
    return answerTo(txContext, module, await createdIn(tx, txContext.db));
  });
}

/** What a create answers: the record as published, or for a question (`answeredBy`) its answer. */
async function answerTo(
  context: FhirContext,
  module: ResourceModule,
  record: VersionedRecord,
): Promise<FhirResult> {
  if (!module.answeredBy) {
    return { outcome: 'created', resource: published(context.em, module, record) };
  }
  // The question is stored; what the client asked for is the answer.
  const answer = publishedBy(context.em, module.answeredBy, record.id);
  if (!answer && module.answerCreates) {
    // The use case returned the record already stored (the same submission again).
    return {
      outcome: 'existing',
      resource: await readCurrent(context.db, module.answeredBy, record.id),
    };
  }
  return {
    outcome: module.answerCreates ? 'created' : 'ok',
    resource: published(context.em, { type: module.answeredBy }, record),
  };
}

/** `W/"3"` or `"3"` → 3. */
export function parseIfMatch(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) {
    return undefined;
  }
  const match = /^(?:W\/)?"(\d+)"$/.exec(ifMatch.trim());
  if (!match) {
    throw new KingaError('fhir.if-match-invalid');
  }
  return Number(match[1]);
}

/**
 * update (http.html#update): replaces the record with what the resource says, under If-Match
 * when given (412 on a stale version). The row is locked first, so concurrent writers queue and
 * the version each one checks is the one it replaces. A new id creates (update-as-create), which
 * lets offline devices send their own UUIDs and converge on retry.
 */
export async function update(
  context: FhirContext,
  module: ResourceModule,
  request: FhirRequest,
): Promise<FhirResult> {
  const write = writeSide(module, 'update');
  const id = request.id ?? '';
  // The id and If-Match are the request's own contract: checked before the resource's content.
  const bodyId = (request.body as { id?: unknown } | null | undefined)?.id;
  if (bodyId === undefined) {
    throw new KingaError('fhir.id-missing', {}, { expression: `${module.type}.id` });
  }
  if (bodyId !== id) {
    throw new KingaError(
      'fhir.id-mismatch',
      { bodyId: typeof bodyId === 'string' ? bodyId : JSON.stringify(bodyId), urlId: id },
      { expression: `${module.type}.id` },
    );
  }
  if (!isUuid(id)) {
    throw new KingaError('fhir.id-invalid', { id }, { expression: `${module.type}.id` });
  }
  const expectedVersion = parseIfMatch(request.ifMatch);
  const resource = acceptIncoming(module, request.body);
  const mapping = mappingOf(context);
  const input = await withElementPaths(module, async () => write.toInput(resource, mapping));
  return inTransaction(context.em, writeContextOf(context), async (tx) => {
    const record = await tx.findOne(
      module.entity as never,
      { id },
      {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        populate: (module.populate ?? []) as never[],
      },
    );
    if (!record) {
      if (expectedVersion !== undefined) {
        throw new KingaError('record.version-conflict', {
          type: module.type,
          id,
          current: 0,
          expected: expectedVersion,
        });
      }
      const created = await withElementPaths(
        module,
        async () => {
          if (!write.create) {
            throw new KingaError('fhir.not-found', { type: module.type, id });
          }
          const record = await write.create(tx, { ...(input as object), id }, mapping);
          await tx.flush();
          return record;
        },
        input,
      );
      return { outcome: 'created', resource: published(tx, module, created) };
    }
    const existing = record as VersionedRecord;
    if (existing.deletedAt) {
      throw new KingaError('fhir.deleted', { type: module.type, id });
    }
    await withElementPaths(
      module,
      async () => {
        await write.update(tx, existing, input, expectedVersion, mapping);
        await tx.flush();
      },
      input,
    );
    const payload = publishedBy(tx, module.type, id);
    // Nothing changed: the current version stands (no new version for an identical PUT).
    return { outcome: 'ok', resource: payload ?? (await readCurrent(emQueryable(tx), module.type, id)) };
  });
}

/** delete (http.html#delete): retires the record; reads then answer 410 and history keeps every version. */
export async function remove(
  context: FhirContext,
  module: ResourceModule,
  request: FhirRequest,
): Promise<FhirResult> {
  const write = writeSide(module, 'delete');
  const id = request.id ?? '';
  if (!isUuid(id)) {
    throw new KingaError('fhir.not-found', { type: module.type, id });
  }
  const expectedVersion = parseIfMatch(request.ifMatch);
  return inTransaction(context.em, writeContextOf(context), async (tx) => {
    const record = await tx.findOne(
      module.entity as never,
      { id },
      {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        populate: (module.populate ?? []) as never[],
      },
    );
    if (!record) {
      throw new KingaError('fhir.not-found', { type: module.type, id });
    }
    const existing = record as VersionedRecord;
    if (existing.deletedAt) {
      return { outcome: 'deleted' };
    }
    if (expectedVersion !== undefined && existing.version !== expectedVersion) {
      throw new KingaError('record.version-conflict', {
        type: module.type,
        id,
        current: existing.version,
        expected: expectedVersion,
      });
    }
    await withElementPaths(module, async () => {
      await write.remove(tx, existing);
      await tx.flush();
    });
    return { outcome: 'deleted' };
  });
}
