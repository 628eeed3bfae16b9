import type { Resource } from '@medplum/fhirtypes';
import { KingaError, type ErrorIssue } from '../../domain/shared/errors.ts';
import { normaliseError } from '../../platform/errors/normalise-error.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import { validateBase } from '../validation/base-schema.ts';
import { normaliseOpenImis } from '../validation/openimis-compat.ts';
import { validateProfile } from '../validation/profile-validator.ts';
import type { ValidationIssue } from '../validation/validation-issue.ts';

/**
 * Checks a resource sent for create or update: a resource of the URL's type, structurally valid
 * R4 (400), conforming to Kinga's profile for the type (422). openIMIS payloads are normalised
 * first (double-slash extension URLs, string booleans), so what is checked is what is stored.
 */
export function acceptIncoming(module: ResourceModule, body: unknown): Resource {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new KingaError(
      'fhir.invalid-resource',
      {},
      {
        issues: [
          {
            message: 'The body must be a FHIR resource (a JSON object)',
            issueCode: 'structure',
            expression: module.type,
          },
        ],
      },
    );
  }
  const actual = (body as { resourceType?: unknown }).resourceType;
  if (actual !== module.type) {
    throw new KingaError(
      'fhir.type-mismatch',
      { expected: module.type, actual: String(actual) },
      { expression: 'resourceType' },
    );
  }
  const resource = normaliseOpenImis(body as Resource);
  const structural = validateBase(resource);
  if (structural.length > 0) {
    throw new KingaError('fhir.invalid-resource', {}, { issues: structural.map(toErrorIssue) });
  }
  const profileIssues = validateProfile(resource, module.profile).filter((i) => i.severity !== 'warning');
  if (profileIssues.length > 0) {
    throw new KingaError(
      'fhir.profile-violation',
      { profile: module.profile },
      { issues: profileIssues.map(toErrorIssue) },
    );
  }
  return resource;
}

function toErrorIssue(issue: ValidationIssue): ErrorIssue {
  return { message: issue.message, expression: issue.expression, issueCode: issue.code };
}

/**
 * Runs a use case (and its flush, where unique indexes speak), naming the FHIR element behind any
 * domain field an error points at: by the module's `elementPathOf` given the use case's `input`,
 * else by its static `fieldPaths`.
 */
export async function withElementPaths<T>(
  module: ResourceModule,
  work: () => Promise<T>,
  input?: unknown,
): Promise<T> {
  try {
    return await work();
  } catch (thrown) {
    const error = normaliseError(thrown);
    for (const issue of error.issues) {
      if (!issue.expression && issue.field) {
        issue.expression =
          (input === undefined ? undefined : module.elementPathOf?.(issue.field, input)) ??
          module.fieldPaths[issue.field] ??
          `${module.type}`;
      }
    }
    throw error;
  }
}
