import type { Parameters, Resource } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KingaError } from '../../domain/shared/errors.ts';
import { allows } from '../../platform/auth/scopes.ts';
import { operationDefinition } from '../conformance/operation-definitions.ts';
import type { FhirOperation, OperationInput } from '../core/operation.ts';
import type { FhirRegistry } from '../core/resource-module.ts';
import type { FhirContext } from '../core/types.ts';
import { validateBase } from '../validation/base-schema.ts';
import { FHIR_JSON, parsePrefer, sendResult } from './fhir-reply.ts';
import { errors, security } from './route-schemas.ts';

/** `[base]/$name`, `[base]/Type/$name` or `[base]/Type/:id/$name`. */
export function operationPath(operation: FhirOperation): string {
  const type = operation.resourceType ? `/${operation.resourceType}` : '';
  return `${type}${operation.instance ? '/:id' : ''}/$${operation.name}`;
}

/**
 * The routes of the registered operations, inside the FHIR plugin (its token check, error
 * handler and parsers apply), and the public reads of their OperationDefinitions.
 */
export function registerOperationRoutes(
  app: FastifyInstance,
  registry: FhirRegistry,
  contextOf: (request: FastifyRequest) => FhirContext,
): void {
  app.get<{ Params: { id: string } }>(
    '/OperationDefinition/:id',
    {
      schema: {
        tags: ['FHIR'],
        summary: "Read one of Kinga's OperationDefinitions (public)",
        params: { type: 'object', properties: { id: { type: 'string' } } },
        response: {
          200: fhirJson('OperationDefinition'),
          404: fhirJson('Unknown operation (OperationOutcome)'),
        },
      },
      config: { public: true },
    },
    async (request, reply) => {
      const definition = operationDefinition(request.params.id);
      if (!definition) {
        throw new KingaError('fhir.not-found', { type: 'OperationDefinition', id: request.params.id });
      }
      return reply.type(FHIR_JSON).send(JSON.stringify(definition));
    },
  );

  for (const operation of registry.operations) {
    if (!operationDefinition(operation.definitionId)) {
      throw new Error(`No OperationDefinition ${operation.definitionId} in fhir-profiles/operations`);
    }
    for (const method of operation.methods) {
      app.route<{ Params: { id?: string } }>({
        method,
        url: operationPath(operation),
        schema: schemaOf(operation, method),
        config: { produces: operation.produces },
        handler: async (request, reply) => {
          const { resourceType, permission } = operation.requires;
          if (!allows(request.principal!.scopes, resourceType, permission)) {
            throw new KingaError('auth.scope-missing', {
              interaction: `$${operation.name}`,
              type: resourceType,
            });
          }
          const input: OperationInput = {
            ...(request.params.id === undefined ? {} : { id: request.params.id }),
            parameters:
              method === 'POST'
                ? parametersOf(request.body, operation.resourceBody)
                : queryParameters(request.url),
          };
          const output = await operation.run(contextOf(request), input);
          if (output.kind === 'binary') {
            return reply
              .headers(output.headers ?? {})
              .header('Content-Disposition', `inline; filename="${output.filename}"`)
              .type(output.contentType)
              .send(output.body);
          }
          if (output.kind === 'result') {
            const context = contextOf(request);
            return sendResult(
              reply,
              output.result,
              context.baseUrl,
              parsePrefer(request.headers.prefer as string | undefined),
            );
          }
          return reply.type(FHIR_JSON).send(JSON.stringify(output.resource));
        },
      });
    }
  }
}

/** A POST body: a Parameters resource, or nothing (an operation without input). */
function parametersOf(body: unknown, resourceBody: string | undefined): Parameters {
  if (body === undefined || body === null || body === '') {
    return { resourceType: 'Parameters' };
  }
  const resourceType = (body as { resourceType?: unknown }).resourceType;
  if (resourceBody !== undefined && resourceType === resourceBody) {
    return { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: body as Resource }] };
  }
  if (resourceType !== 'Parameters') {
    throw new KingaError(
      'fhir.type-mismatch',
      { expected: 'Parameters', actual: String(resourceType) },
      { expression: 'resourceType' },
    );
  }
  // Checked as any resource is (R4 schema): an operation then reads typed values (a valueString
  // that is a string, parts that are a list), never a shape that would fail deep in a use case.
  const structural = validateBase(body);
  if (structural.length > 0) {
    throw new KingaError(
      'fhir.invalid-resource',
      {},
      {
        issues: structural.map((i) => ({ message: i.message, expression: i.expression, issueCode: i.code })),
      },
    );
  }
  return body as Parameters;
}

/** GET operations take their parameters from the query, as strings (operations.html#request). */
function queryParameters(url: string): Parameters {
  const index = url.indexOf('?');
  const query = new URLSearchParams(index < 0 ? '' : url.slice(index + 1));
  return {
    resourceType: 'Parameters',
    parameter: [...query].map(([name, valueString]) => ({ name, valueString })),
  };
}

function fhirJson(description: string) {
  return {
    description,
    content: { 'application/fhir+json': { schema: { type: 'object', additionalProperties: true } } },
  };
}

function schemaOf(operation: FhirOperation, method: 'GET' | 'POST') {
  const answer =
    operation.produces === 'application/fhir+json'
      ? fhirJson('Parameters or the resource the operation returns')
      : {
          description: operation.summary,
          content: { [operation.produces]: { schema: { type: 'string', format: 'binary' } } },
        };
  return {
    tags: [operation.resourceType ?? 'FHIR'],
    summary: operation.summary,
    description: `${operation.description} Needs system/${operation.requires.resourceType}.${operation.requires.permission}.`,
    security,
    ...(operation.instance
      ? {
          params: {
            type: 'object',
            properties: { id: { type: 'string', description: 'Logical id (UUID)' } },
          },
        }
      : {}),
    ...(method === 'POST'
      ? { body: fhirJson('Parameters') }
      : { querystring: { type: 'object', additionalProperties: true } }),
    response: { 200: answer, ...errors },
  };
}
