import { newId } from '../../domain/shared/ids.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { emQueryable } from '../../platform/database/queryable.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import { bundleJson, type BundleEntryText } from '../core/bundle-json.ts';
import { dispatch } from '../core/dispatch.ts';
import type { FhirRegistry } from '../core/resource-module.ts';
import type { FhirContext, FhirRequest, FhirResult } from '../core/types.ts';
import { kindToHttp, outcomeForError } from '../outcome.ts';
import { entryRequest, invalid, type BundleEntryInput } from './entry-request.ts';

export const MAX_BUNDLE_ENTRIES = 1000;

const STATUS_TEXT: Record<FhirResult['outcome'], string> = {
  ok: '200 OK',
  existing: '200 OK',
  created: '201 Created',
  deleted: '204 No Content',
};

/** Processing order within a transaction (http.html#trules): deletes, creates, updates, reads. */
const ORDER: Record<string, number> = { delete: 0, create: 1, update: 2 };

/**
 * POST [base] with a transaction or batch Bundle (http.html#transaction). A transaction runs every
 * entry through the ordinary handlers inside one database transaction: all succeed or nothing is
 * stored. A batch runs entries independently and reports each.
 */
export async function processBundle(
  context: FhirContext,
  registry: FhirRegistry,
  body: unknown,
  returnResources: boolean,
): Promise<FhirResult> {
  const bundle = body as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (typeof body !== 'object' || body === null || bundle.resourceType !== 'Bundle') {
    throw new KingaError(
      'fhir.bundle-invalid',
      { detail: 'POST to the base URL takes a Bundle' },
      { expression: 'Bundle' },
    );
  }
  if (bundle.type !== 'transaction' && bundle.type !== 'batch') {
    throw new KingaError(
      'fhir.bundle-invalid',
      { detail: 'Bundle.type must be transaction or batch' },
      { expression: 'Bundle.type' },
    );
  }
  const entries = (bundle.entry ?? []) as BundleEntryInput[];
  if (!Array.isArray(entries)) {
    throw new KingaError(
      'fhir.bundle-invalid',
      { detail: 'entry must be a list' },
      { expression: 'Bundle.entry' },
    );
  }
  if (entries.length > MAX_BUNDLE_ENTRIES) {
    throw new KingaError(
      'fhir.bundle-invalid',
      { detail: `at most ${MAX_BUNDLE_ENTRIES} entries` },
      { expression: 'Bundle.entry' },
    );
  }
  return bundle.type === 'transaction'
    ? transaction(context, registry, entries, returnResources)
    : batch(context, registry, entries, returnResources);
}

async function transaction(
  context: FhirContext,
  registry: FhirRegistry,
  entries: BundleEntryInput[],
  returnResources: boolean,
): Promise<FhirResult> {
  const assigned = assignIds(entries, context.baseUrl);
  const requests = entries.map((entry, index) => {
    const resolved = entry.resource
      ? (resolveReferences(entry.resource, assigned, index) as BundleEntryInput['resource'])
      : undefined;
    const request = entryRequest(
      { ...entry, ...(resolved ? { resource: resolved } : {}) },
      index,
      context.baseUrl,
    );
    const target = entry.fullUrl ? assigned.get(entry.fullUrl) : undefined;
    if (request.interaction === 'create' && target) {
      request.assignedId = target.slice(target.indexOf('/') + 1);
    }
    return request;
  });
  const order = executionOrder(requests, assigned);
  const results: FhirResult[] = new Array(entries.length);
  await inTransaction(
    context.em,
    { actor: context.principal.clientId, requestId: context.requestId },
    async (tx) => {
      const txContext: FhirContext = { ...context, em: tx, db: emQueryable(tx), inTransaction: true };
      for (const index of order) {
        try {
          results[index] = await dispatch(txContext, registry, requests[index]!);
        } catch (error) {
          throw locate(error, index);
        }
        // Each entry has flushed what it wrote, and later entries read it again in the
        // transaction. Kept managed, every entity of every earlier entry would be compared again
        // at each later flush: a Bundle's cost would grow with the square of its entries.
        tx.clear();
      }
    },
  );
  // The same version of a resource may answer two entries (a PUT, then a GET of it); a Bundle
  // carries one fullUrl per version (bdl-7), so the repeat goes without one.
  const used = new Set<string>();
  const responses = results.map((result, i) => {
    const entry = responseEntry(result, requests[i]!, context.baseUrl, returnResources);
    const key = `${entry.fullUrl}|${result.resource?.versionId}`;
    if (entry.fullUrl && used.has(key)) {
      delete entry.fullUrl;
    }
    used.add(key);
    return entry;
  });
  return { outcome: 'ok', resource: bundleJson({ type: 'transaction-response', entries: responses }) };
}

async function batch(
  context: FhirContext,
  registry: FhirRegistry,
  entries: BundleEntryInput[],
  returnResources: boolean,
): Promise<FhirResult> {
  const responses: BundleEntryText[] = [];
  for (const [index, entry] of entries.entries()) {
    try {
      const request = entryRequest(entry, index, context.baseUrl);
      if (entry.resource && JSON.stringify(entry.resource).includes('"urn:uuid:')) {
        throw invalid(
          index,
          'a batch cannot refer to other entries (urn:uuid); use a transaction',
          'resource',
        );
      }
      const result = await dispatch(context, registry, request);
      responses.push(responseEntry(result, request, context.baseUrl, returnResources));
    } catch (error) {
      if (!(error instanceof KingaError)) {
        throw error;
      }
      responses.push({
        response: { status: String(kindToHttp[error.kind].status), outcome: outcomeForError(error) },
      });
    }
  }
  return { outcome: 'ok', resource: bundleJson({ type: 'batch-response', entries: responses }) };
}

function responseEntry(
  result: FhirResult,
  request: FhirRequest,
  baseUrl: string,
  returnResources: boolean,
): BundleEntryText {
  const payload = result.resource;
  const isVersioned = payload?.versionId !== undefined;
  return {
    ...(payload?.id ? { fullUrl: `${baseUrl}/${payload.resourceType}/${payload.id}` } : {}),
    ...(payload &&
    (returnResources || request.interaction === 'search-type' || request.interaction === 'read')
      ? { resourceJson: payload.json }
      : {}),
    response: {
      status: STATUS_TEXT[result.outcome],
      ...(isVersioned && (result.outcome === 'created' || request.interaction === 'update')
        ? { location: `${payload.resourceType}/${payload.id}/_history/${payload.versionId}` }
        : {}),
      ...(isVersioned ? { etag: `W/"${payload.versionId}"`, lastModified: payload.lastUpdated } : {}),
    },
  };
}

/** New ids for entries created under a urn:uuid (or urn:oid) fullUrl: `urn:uuid:…` → `Type/id`. */
function assignIds(entries: BundleEntryInput[], baseUrl: string): Map<string, string> {
  const assigned = new Map<string, string>();
  for (const [index, entry] of entries.entries()) {
    const fullUrl = entry.fullUrl;
    if (!fullUrl || !entry.resource?.resourceType) {
      continue;
    }
    if (assigned.has(fullUrl)) {
      throw invalid(index, `fullUrl ${fullUrl} appears twice`, 'fullUrl');
    }
    if (fullUrl.startsWith('urn:uuid:') || fullUrl.startsWith('urn:oid:')) {
      if (entry.request?.method === 'POST') {
        assigned.set(fullUrl, `${entry.resource.resourceType}/${newId()}`);
      } else if (entry.request?.method === 'PUT' && entry.resource.id) {
        assigned.set(fullUrl, `${entry.resource.resourceType}/${entry.resource.id}`);
      }
    } else if (fullUrl.startsWith(`${baseUrl}/`)) {
      assigned.set(fullUrl, fullUrl.slice(baseUrl.length + 1));
    }
  }
  return assigned;
}

/** Rewrites every `reference` that names another entry by its fullUrl; unknown urn: references fail. */
function resolveReferences(value: unknown, assigned: Map<string, string>, index: number): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => resolveReferences(v, assigned, index));
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (
      key === 'reference' &&
      typeof child === 'string' &&
      (child.startsWith('urn:') || assigned.has(child))
    ) {
      const target = assigned.get(child);
      if (!target) {
        throw invalid(index, `reference ${child} names no entry of this Bundle`, 'resource');
      }
      out[key] = target;
    } else {
      out[key] = resolveReferences(child, assigned, index);
    }
  }
  return out;
}

/** Deletes, then creates ordered so that an entry comes after the entries it refers to, then the rest. */
function executionOrder(requests: FhirRequest[], assigned: Map<string, string>): number[] {
  const created = new Map<string, number>();
  requests.forEach((r, i) => {
    if (r.interaction === 'create' && r.assignedId) {
      created.set(`${r.resourceType}/${r.assignedId}`, i);
    }
  });
  const indices = requests.map((_, i) => i);
  indices.sort((a, b) => (ORDER[requests[a]!.interaction] ?? 3) - (ORDER[requests[b]!.interaction] ?? 3));
  const creates = indices.filter((i) => requests[i]!.interaction === 'create');
  const sortedCreates: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number): void => {
    if (state.get(i) === 'done') {
      return;
    }
    if (state.get(i) === 'visiting') {
      throw new KingaError(
        'fhir.bundle-invalid',
        { detail: 'entries refer to each other in a cycle' },
        { expression: `Bundle.entry[${i}]` },
      );
    }
    state.set(i, 'visiting');
    for (const target of referencesOf(requests[i]!.body)) {
      const dependency = created.get(target);
      if (dependency !== undefined && dependency !== i) {
        visit(dependency);
      }
    }
    state.set(i, 'done');
    sortedCreates.push(i);
  };
  creates.forEach(visit);
  void assigned;
  const first = indices.filter((i) => requests[i]!.interaction === 'delete');
  const rest = indices.filter(
    (i) => requests[i]!.interaction !== 'delete' && requests[i]!.interaction !== 'create',
  );
  return [...first, ...sortedCreates, ...rest];
}

function referencesOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((v) => referencesOf(v, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') {
        found.push(child);
      } else {
        referencesOf(child, found);
      }
    }
  }
  return found;
}

/** Names the failing entry in every issue: `Patient.name` becomes `Bundle.entry[3].resource.name`. */
function locate(error: unknown, index: number): unknown {
  if (!(error instanceof KingaError)) {
    return error;
  }
  for (const issue of error.issues) {
    const expression = issue.expression;
    if (expression && !expression.startsWith('Bundle.')) {
      const dot = expression.indexOf('.');
      issue.expression = `Bundle.entry[${index}].resource${dot < 0 ? '' : expression.slice(dot)}`;
    } else if (!expression) {
      issue.expression = `Bundle.entry[${index}]`;
    }
    issue.message = `Entry ${index}: ${issue.message}`;
  }
  return error;
}
