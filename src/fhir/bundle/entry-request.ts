import { KingaError } from '../../domain/shared/errors.ts';
import type { FhirRequest } from '../core/types.ts';

export interface BundleEntryInput {
  fullUrl?: string;
  resource?: { resourceType?: string; id?: string } & Record<string, unknown>;
  request?: { method?: string; url?: string; ifNoneExist?: string; ifMatch?: string };
}

/** Turns a Bundle entry's request (method + relative URL) into the request a single call would make. */
export function entryRequest(entry: BundleEntryInput, index: number, baseUrl: string): FhirRequest {
  const method = entry.request?.method;
  let url = entry.request?.url;
  if (!method || !url) {
    throw invalid(index, 'request.method and request.url are required', 'request');
  }
  if (url.includes('%00')) {
    // As app.ts refuses it in a request's own URL.
    throw invalid(index, 'the URL holds the NUL character (%00)', 'request.url');
  }
  if (url.startsWith(`${baseUrl}/`)) {
    url = url.slice(baseUrl.length + 1);
  }
  const [path = '', queryText = ''] = url.split('?', 2);
  const query = new URLSearchParams(queryText);
  const segments = path.split('/').filter(Boolean);
  const [resourceType = '', id, history, versionId] = segments;
  if (!/^[A-Z][A-Za-z]+$/.test(resourceType)) {
    throw invalid(index, `${url} is not a resource URL`, 'request.url');
  }
  const base = { resourceType };
  switch (method) {
    case 'GET':
      if (segments.length === 1) {
        return { ...base, interaction: 'search-type', query };
      }
      if (segments.length === 2 && id) {
        return { ...base, interaction: 'read', id };
      }
      if (segments.length === 3 && history === '_history') {
        return { ...base, interaction: 'history-instance', id, query };
      }
      if (segments.length === 4 && history === '_history') {
        return { ...base, interaction: 'vread', id, versionId };
      }
      break;
    case 'POST':
      if (segments.length === 1 && !queryText) {
        return {
          ...base,
          interaction: 'create',
          body: entry.resource,
          ...(entry.request?.ifNoneExist ? { ifNoneExist: entry.request.ifNoneExist } : {}),
        };
      }
      if (segments.length === 2 && id === '_search') {
        return { ...base, interaction: 'search-type', query };
      }
      break;
    case 'PUT':
      if (segments.length === 2 && id && !queryText) {
        return {
          ...base,
          interaction: 'update',
          id,
          body: entry.resource,
          ...(entry.request?.ifMatch ? { ifMatch: entry.request.ifMatch } : {}),
        };
      }
      break;
    case 'DELETE':
      if (segments.length === 2 && id && !queryText) {
        return {
          ...base,
          interaction: 'delete',
          id,
          ...(entry.request?.ifMatch ? { ifMatch: entry.request.ifMatch } : {}),
        };
      }
      break;
  }
  throw invalid(index, `${method} ${url} is not supported in a Bundle`, 'request');
}

export function invalid(index: number, detail: string, element: string): KingaError {
  return new KingaError(
    'fhir.bundle-invalid',
    { detail },
    { expression: `Bundle.entry[${index}].${element}` },
  );
}
