import type { SwaggerOptions } from '@fastify/swagger';
import type { Config } from './config/config.ts';
import { documentIdempotencyKey } from './idempotency/openapi.ts';

/** OpenAPI 3.1 document of every registered route (committed as openapi/openapi.json). */
export function openApiOptions(_config: Config): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kinga API',
        version: '0.1.0',
        description:
          'FHIR R4 and REST API for national health-insurance schemes. FHIR resources are described by the ' +
          'CapabilityStatement at /fhir/R4/metadata and the StructureDefinitions it lists; errors under /fhir are ' +
          'OperationOutcomes, elsewhere problem+json.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          smartBackendServices: {
            type: 'oauth2',
            description:
              'SMART Backend Services: client_credentials with private_key_jwt or client_secret_basic.',
            flows: {
              clientCredentials: {
                tokenUrl: '/auth/token',
                scopes: { 'system/*.cruds': 'Full access', 'system/*.rs': 'Read and search' },
              },
            },
          },
        },
      },
    },
    transformObject: (document) =>
      'openapiObject' in document ? documentIdempotencyKey(document.openapiObject) : document.swaggerObject,
  };
}
