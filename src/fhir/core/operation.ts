import type { Parameters, ParametersParameter, Resource } from '@medplum/fhirtypes';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import type { Permission } from '../../platform/auth/scopes.ts';
import type { FhirContext, FhirResult } from './types.ts';

/** What an operation receives: the instance id (instance operations) and its input Parameters. */
export interface OperationInput {
  id?: string;
  parameters: Parameters;
}

/** A FHIR resource (200 unless said otherwise), or a document in another format (a PDF card). */
export type OperationOutput =
  | { kind: 'resource'; resource: Resource }
  /** An interaction's result (status, Location, ETag), as the type's own create would answer. */
  | { kind: 'result'; result: FhirResult }
  | { kind: 'binary'; contentType: string; body: Buffer; filename: string; headers?: Record<string, string> };

/**
 * A FHIR operation (operations.html): `[base]/$name`, `[base]/Type/$name` or `[base]/Type/[id]/$name`.
 * Its OperationDefinition lives in fhir-profiles/operations and is named in the CapabilityStatement.
 */
export interface FhirOperation {
  /** The code, without `$`. */
  name: string;
  /** Id of its OperationDefinition in fhir-profiles/operations. */
  definitionId: string;
  /** Undefined for a system-level operation. */
  resourceType?: string;
  instance: boolean;
  methods: readonly ('GET' | 'POST')[];
  /** The SMART scope it needs: `permission` on `resourceType`. */
  requires: { resourceType: string; permission: Permission };
  /**
   * A resource type the POST body may be instead of Parameters: it is then the operation's one
   * resource parameter, named `resource` (operations.html: a single resource input as the body).
   */
  resourceBody?: string;
  /** Media type of a successful answer (OpenAPI and the Accept check). */
  produces: string;
  summary: string;
  description: string;
  run(context: FhirContext, input: OperationInput): Promise<OperationOutput>;
}

/** The parameters named `name` (operations.html#params). */
export function parametersNamed(parameters: Parameters, name: string): ParametersParameter[] {
  return (parameters.parameter ?? []).filter((p) => p.name === name);
}

/** The one string-like value of parameter `name` (GET query values arrive as valueString). */
export function stringParameter(parameters: Parameters, name: string): string | undefined {
  const found = parametersNamed(parameters, name);
  if (found.length > 1) {
    throw new KingaError('operation.parameter-invalid', { name, detail: 'given more than once' });
  }
  const p = found[0];
  return p?.valueString ?? p?.valueUri ?? p?.valueCode ?? p?.valueId;
}

/** The one whole-number value of parameter `name`, from valueInteger or a query string. */
export function integerParameter(parameters: Parameters, name: string): number | undefined {
  const found = parametersNamed(parameters, name);
  if (found.length > 1) {
    throw new KingaError('operation.parameter-invalid', { name, detail: 'given more than once' });
  }
  const p = found[0];
  if (!p) {
    return undefined;
  }
  const value =
    p.valueInteger ??
    p.valuePositiveInt ??
    p.valueUnsignedInt ??
    (p.valueString === undefined ? undefined : Number(p.valueString));
  if (value === undefined || !Number.isInteger(value)) {
    throw new KingaError('operation.parameter-invalid', { name, detail: 'must be a whole number' });
  }
  return value;
}

/**
 * Runs an operation's use case, naming the parameter or element behind any domain field an error
 * points at (`paths`: domain field → FHIRPath), as resource modules do with their fieldPaths.
 */
export async function withParameterPaths<T>(
  paths: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (thrown) {
    if (thrown instanceof KingaError) {
      for (const issue of thrown.issues) {
        if (!issue.expression && issue.field && paths[issue.field]) {
          issue.expression = paths[issue.field];
        }
      }
    }
    throw thrown;
  }
}

/** FHIRPath of an input parameter, for error messages. */
export function parameterPath(name: string): string {
  return `Parameters.parameter.where(name='${name}')`;
}

/** The instance id of an instance operation: a UUID, else the instance is not found (404). */
export function instanceIdOf(input: OperationInput, type: string): string {
  const id = input.id ?? '';
  if (!isUuid(id)) {
    throw new KingaError('fhir.not-found', { type, id });
  }
  return id;
}

/** An operation for scheme staff: a client acting for one facility (an EMR) may not run it (403). */
export function assertNotFacilityBound(context: FhirContext, operation: string, type: string): void {
  if (context.principal.facilityId) {
    throw new KingaError('auth.scope-missing', { interaction: `$${operation}`, type });
  }
}
