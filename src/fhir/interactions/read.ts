import type { FhirContext, FhirResult } from '../core/types.ts';
import { readCurrent, readVersion } from '../store/resource-store.ts';

/** read (http.html#read): the current version from the stored JSON, one primary-key lookup. */
export async function read(context: FhirContext, resourceType: string, id: string): Promise<FhirResult> {
  return { outcome: 'ok', resource: await readCurrent(context.db, resourceType, id) };
}

/** vread (http.html#vread): any kept version; a deletion version is 410. */
export async function vread(
  context: FhirContext,
  resourceType: string,
  id: string,
  versionId: string,
): Promise<FhirResult> {
  return { outcome: 'ok', resource: await readVersion(context.db, resourceType, id, versionId) };
}
