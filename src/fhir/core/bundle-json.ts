import { newId } from '../../domain/shared/ids.ts';
import type { ResourcePayload } from './types.ts';

export interface BundleLink {
  relation: string;
  url: string;
}

export interface BundleEntryText {
  fullUrl?: string;
  /** The entry's resource as JSON text (already serialised, e.g. straight from the store). */
  resourceJson?: string;
  search?: { mode: 'match' | 'include' | 'outcome' };
  request?: { method: string; url: string };
  response?: { status: string; location?: string; etag?: string; lastModified?: string; outcome?: unknown };
}

/**
 * Assembles a Bundle from stored JSON text without parsing it again: serving a page of 500
 * resources then costs string joins, not 500 JSON.parse/stringify round trips.
 */
export function bundleJson(bundle: {
  type: string;
  total?: number;
  link?: BundleLink[];
  entries: BundleEntryText[];
}): ResourcePayload {
  const head: Record<string, unknown> = {
    resourceType: 'Bundle',
    id: newId(),
    meta: { lastUpdated: new Date().toISOString() },
    type: bundle.type,
  };
  if (bundle.total !== undefined) {
    head['total'] = bundle.total;
  }
  if (bundle.link && bundle.link.length > 0) {
    head['link'] = bundle.link;
  }
  let json = JSON.stringify(head);
  if (bundle.entries.length > 0) {
    const entries = bundle.entries.map((e) => {
      const { resourceJson, ...rest } = e;
      const parts: string[] = [];
      if (rest.fullUrl !== undefined) {
        parts.push(`"fullUrl":${JSON.stringify(rest.fullUrl)}`);
      }
      if (resourceJson) {
        parts.push(`"resource":${resourceJson}`);
      }
      if (rest.search) {
        parts.push(`"search":${JSON.stringify(rest.search)}`);
      }
      if (rest.request) {
        parts.push(`"request":${JSON.stringify(rest.request)}`);
      }
      if (rest.response) {
        parts.push(`"response":${JSON.stringify(rest.response)}`);
      }
      return `{${parts.join(',')}}`;
    });
    json = `${json.slice(0, -1)},"entry":[${entries.join(',')}]}`;
  }
  return { resourceType: 'Bundle', json };
}
