import { KingaError } from '../../domain/shared/errors.ts';
import { allows, type Permission } from '../../platform/auth/scopes.ts';
import { instanceHistory } from '../interactions/history.ts';
import { read, vread } from '../interactions/read.ts';
import { create, remove, update } from '../interactions/write.ts';
import { facilityPredicate, searchType } from '../search/search.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import { raw, sql } from '../../platform/database/sql.ts';
import { becauseOf, interactionsOf, type FhirRegistry, type ResourceModule } from './resource-module.ts';
import type { FhirContext, FhirRequest, FhirResult, Interaction } from './types.ts';

/** SMART v2 permission each interaction needs (scopes-and-launch-context: c r u d s). */
const permissionOf: Partial<Record<Interaction, Permission[]>> = {
  read: ['r'],
  vread: ['r'],
  'history-instance': ['r'],
  'search-type': ['s'],
  create: ['c'],
  update: ['u'],
  delete: ['d'],
};

export function assertPermitted(context: FhirContext, request: FhirRequest): void {
  const needed = [...(permissionOf[request.interaction] ?? [])];
  // A conditional create also reveals whether a match exists, which is a search.
  if (request.interaction === 'create' && request.ifNoneExist !== undefined) {
    needed.push('s');
  }
  for (const permission of needed) {
    if (!allows(context.principal.scopes, request.resourceType, permission)) {
      throw new KingaError('auth.scope-missing', {
        interaction: request.interaction,
        type: request.resourceType,
      });
    }
  }
}

/**
 * A facility-bound client reads only its facility's records of a type that belongs to facilities:
 * another facility's record is not found (404), so its existence is not revealed.
 */
async function assertOwnFacility(context: FhirContext, module: ResourceModule, id: string): Promise<void> {
  const own = facilityPredicate(module, context.principal.facilityId);
  if (!own || !isUuid(id)) {
    return;
  }
  const rows = await context.db.query(
    sql`select 1 from ${raw(module.table.table)} t where t.id = ${id}::uuid and ${own}`,
  );
  if (rows.length === 0) {
    throw new KingaError('fhir.not-found', { type: module.type, id });
  }
}

/**
 * Runs one FHIR interaction after checking the caller's scope for it. HTTP routes and Bundle
 * entries both come through here, so a Bundle can do nothing its entries could not do alone.
 */
export async function dispatch(
  context: FhirContext,
  registry: FhirRegistry,
  request: FhirRequest,
): Promise<FhirResult> {
  const module = registry.get(request.resourceType);
  if (!module) {
    throw new KingaError('fhir.unknown-type', { type: request.resourceType });
  }
  const served = interactionsOf(module) as string[];
  if (!served.includes(request.interaction)) {
    throw new KingaError('fhir.interaction-not-supported', {
      interaction: request.interaction,
      type: module.type,
      because: becauseOf(module),
    });
  }
  assertPermitted(context, request);
  const id = request.id ?? '';
  if (['read', 'vread', 'history-instance'].includes(request.interaction)) {
    await assertOwnFacility(context, module, id);
  }
  switch (request.interaction) {
    case 'read':
      return read(context, module.type, id);
    case 'vread':
      return vread(context, module.type, id, request.versionId ?? '');
    case 'history-instance':
      return instanceHistory(context, module.type, id, request.query ?? new URLSearchParams());
    case 'search-type':
      return searchType(
        context,
        registry,
        module,
        request.query ?? new URLSearchParams(),
        request.lenient ?? false,
      );
    case 'create':
      return create(context, module, request);
    case 'update':
      return update(context, module, request);
    case 'delete':
      return remove(context, module, request);
    case 'transaction':
    case 'batch':
    case 'capabilities':
    case 'operation':
      throw new KingaError('fhir.interaction-not-supported', {
        interaction: request.interaction,
        type: module.type,
        because: '',
      });
  }
}
