import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceOperation,
} from '@medplum/fhirtypes';
import type { Config } from '../../platform/config/config.ts';
import { interactionsOf, type FhirRegistry } from '../core/resource-module.ts';
import { searchParamsOf } from '../search/search.ts';
import { operationDefinition } from './operation-definitions.ts';

/**
 * GET /metadata (http.html#capabilities), built from the registry: a resource type, interaction,
 * search parameter or profile appears here exactly when a route serves it.
 */
export function capabilityStatement(
  registry: FhirRegistry,
  config: Config,
  baseUrl: string,
): CapabilityStatement {
  const resources: CapabilityStatementRestResource[] = registry.modules.map((module) => {
    const params = searchParamsOf(module);
    const interactions = interactionsOf(module);
    const includes = module.searchParams.filter((p) => p.includable).map((p) => `${module.type}:${p.code}`);
    const revIncludes = registry.modules.flatMap((other) =>
      other.searchParams
        .filter((p) => p.includable && p.targets?.includes(module.type))
        .map((p) => `${other.type}:${p.code}`),
    );
    return {
      type: module.type,
      profile: module.profile,
      interaction: interactions.map((code) => ({ code })),
      versioning: interactions.includes('update') ? 'versioned-update' : 'versioned',
      readHistory: true,
      updateCreate: interactions.includes('update') && module.create !== undefined,
      conditionalCreate: interactions.includes('create'),
      conditionalRead: 'not-supported',
      conditionalUpdate: false,
      conditionalDelete: 'not-supported',
      referencePolicy: ['literal', 'local', 'enforced'],
      searchInclude: includes,
      searchRevInclude: revIncludes,
      searchParam: params.map((p) => ({
        name: p.code,
        type: p.type,
        ...(p.definition ? { definition: p.definition } : {}),
        documentation: p.description,
      })),
      ...operationsOf(registry, module.type),
    };
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-23',
    publisher: 'Kinga',
    kind: 'instance',
    software: { name: 'Kinga', version: '0.1.0' },
    implementation: { description: 'Kinga health-insurance scheme API', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: [],
    rest: [
      {
        mode: 'server',
        documentation: `OpenAPI: ${config.PUBLIC_BASE_URL}/docs`,
        security: {
          cors: false,
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          description: `SMART Backend Services: OAuth2 client_credentials at ${config.PUBLIC_BASE_URL}/auth/token with private_key_jwt or client_secret_basic; system/ scopes.`,
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [{ url: 'token', valueUri: `${config.PUBLIC_BASE_URL}/auth/token` }],
            },
          ],
        },
        resource: resources,
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        ...operationsOf(registry, undefined),
      },
    ],
  };
}

/** The operations on `type` (undefined: system-level), each with its OperationDefinition's canonical. */
function operationsOf(
  registry: FhirRegistry,
  type: string | undefined,
): { operation?: CapabilityStatementRestResourceOperation[] } {
  const operations = registry.operations
    .filter((o) => o.resourceType === type)
    .map((o) => ({
      name: o.name,
      definition: operationDefinition(o.definitionId)?.url ?? '',
      documentation: o.summary,
    }));
  return operations.length > 0 ? { operation: operations } : {};
}
