import { KingaError } from '../../domain/shared/errors.ts';
import { bundleJson, type BundleLink } from '../core/bundle-json.ts';
import type { FhirContext, FhirResult } from '../core/types.ts';
import { parseDateRange } from '../search/date-range.ts';
import { readHistory } from '../store/resource-store.ts';

const DEFAULT_COUNT = 50;
const MAX_COUNT = 500;
const MAX_VERSION = 2147483647;

/** Instance history (http.html#history): every version, newest first, as a history Bundle. */
export async function instanceHistory(
  context: FhirContext,
  resourceType: string,
  id: string,
  query: URLSearchParams,
): Promise<FhirResult> {
  const count = Math.min(Number(query.get('_count') ?? DEFAULT_COUNT), MAX_COUNT);
  if (!Number.isInteger(count) || count < 1) {
    throw new KingaError('fhir.search-param-invalid', {
      name: '_count',
      detail: 'must be a positive whole number',
    });
  }
  const sinceText = query.get('_since');
  const since = sinceText ? parseDateRange(sinceText)?.low : undefined;
  if (sinceText && !since) {
    throw new KingaError('fhir.search-param-invalid', { name: '_since', detail: 'must be an instant' });
  }
  const beforeText = query.get('_before-version');
  const beforeVersion = beforeText ? Number(beforeText) : undefined;
  // A version id is a PostgreSQL integer: anything else used to reach the query and fail there (500).
  if (
    beforeVersion !== undefined &&
    !(Number.isInteger(beforeVersion) && beforeVersion >= 1 && beforeVersion <= MAX_VERSION)
  ) {
    throw new KingaError('fhir.search-param-invalid', {
      name: '_before-version',
      detail: 'must be a version number',
    });
  }
  const versions = await readHistory(context.db, resourceType, id, {
    limit: count + 1,
    ...(beforeVersion ? { beforeVersion } : {}),
    ...(since ? { since } : {}),
  });
  const page = versions.slice(0, count);
  const url = `${context.baseUrl}/${resourceType}/${id}`;
  const link: BundleLink[] = [{ relation: 'self', url: `${url}/_history${queryText(query)}` }];
  const oldest = page.at(-1);
  if (versions.length > count && oldest) {
    const next = new URLSearchParams(query);
    next.set('_before-version', String(oldest.versionId));
    link.push({ relation: 'next', url: `${url}/_history?${next.toString()}` });
  }
  const entries = page.map((v) => ({
    fullUrl: url,
    ...(v.json ? { resourceJson: v.json } : {}),
    request: {
      method: v.deleted ? 'DELETE' : v.versionId === 1 ? 'POST' : 'PUT',
      url: v.versionId === 1 && !v.deleted ? resourceType : `${resourceType}/${id}`,
    },
    response: {
      status: v.deleted ? '204 No Content' : v.versionId === 1 ? '201 Created' : '200 OK',
      etag: `W/"${v.versionId}"`,
      lastModified: v.lastUpdated,
    },
  }));
  return { outcome: 'ok', resource: bundleJson({ type: 'history', link, entries }) };
}

function queryText(query: URLSearchParams): string {
  const text = query.toString();
  return text ? `?${text}` : '';
}
