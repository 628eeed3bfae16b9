/**
 * OpenAPI descriptions of the FHIR routes. They document; they do not validate (the FHIR plugin
 * validates resources itself against R4 and Kinga's profiles), so bodies are described loosely and
 * point to the FHIR specification and the StructureDefinitions.
 */
const fhirJson = (description: string) => ({
  description,
  content: { 'application/fhir+json': { schema: { type: 'object', additionalProperties: true } } },
});

const outcome = (description: string) => fhirJson(`${description} (OperationOutcome)`);

export const errors = {
  400: outcome('Malformed request or resource; issue.expression names the element'),
  401: outcome('Missing or invalid access token'),
  403: outcome('The token lacks the scope for this interaction'),
  404: outcome('Unknown resource or type'),
  422: outcome('The resource breaks a profile or business rule'),
  429: outcome('Rate limit exceeded'),
};

const idParam = { type: 'object', properties: { id: { type: 'string', description: 'Logical id (UUID)' } } };
export const security = [{ smartBackendServices: [] }];

export const fhirRouteSchemas = {
  metadata: {
    tags: ['FHIR'],
    summary: 'CapabilityStatement (public)',
    description: 'Generated from the registered resources, interactions, search parameters and profiles.',
    response: { 200: fhirJson('CapabilityStatement') },
  },
  structureDefinition: {
    tags: ['FHIR'],
    summary: "Read one of Kinga's profiles (public)",
    params: idParam,
    response: { 200: fhirJson('StructureDefinition'), 404: outcome('Unknown profile') },
  },
  smartConfiguration: {
    tags: ['Auth'],
    summary: 'SMART configuration (public)',
    response: {
      200: {
        description: 'SMART App Launch discovery document',
        content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
      },
    },
  },
  bundle: {
    tags: ['FHIR'],
    summary: 'Process a transaction or batch Bundle',
    description:
      'A transaction is all-or-nothing in one database transaction, with urn:uuid references resolved; a batch answers entry by entry. Each entry needs the scope its interaction needs.',
    security,
    body: fhirJson('Bundle of type transaction or batch'),
    response: { 200: fhirJson('transaction-response or batch-response Bundle'), ...errors },
  },
  /** `answer`: a create that is a question (ResourceModule.answeredBy), and whether it creates. */
  forType(type: string, answer?: { type: string; creates: boolean; description?: string }) {
    const tags = [type];
    return {
      search: {
        tags,
        summary: `Search ${type}`,
        description: `Search parameters are listed in the CapabilityStatement. Unknown parameters are a 400 unless Prefer: handling=lenient. Paging links are keyset cursors.`,
        security,
        querystring: { type: 'object', additionalProperties: true },
        response: { 200: fhirJson('searchset Bundle'), ...errors },
      },
      searchPost: {
        tags,
        summary: `Search ${type} (parameters in a form body, kept out of URLs and logs)`,
        security,
        body: {
          content: {
            'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: true } },
          },
        },
        response: { 200: fhirJson('searchset Bundle'), ...errors },
      },
      create: answer
        ? {
            tags,
            summary: `${answer.creates ? 'Submit' : 'Ask'} a ${type}: answered with a ${answer.type}`,
            description:
              `Both are stored and can be read and searched later (the ${answer.type} has the ${type}'s id). ` +
              (answer.description ?? ''),
            security,
            body: fhirJson(type),
            response: answer.creates
              ? {
                  201: fhirJson(`The ${answer.type}, with its Location`),
                  200: fhirJson(`The ${answer.type} already stored (the same ${type} sent again)`),
                  ...errors,
                }
              : { 200: fhirJson(`The ${answer.type}`), ...errors },
          }
        : {
            tags,
            summary: `Create a ${type}`,
            description:
              'If-None-Exist makes the create conditional: an existing match is returned with 200.',
            security,
            headers: {
              type: 'object',
              properties: { 'if-none-exist': { type: 'string' }, prefer: { type: 'string' } },
            },
            body: fhirJson(type),
            response: {
              201: fhirJson(`The created ${type}`),
              200: fhirJson(`The existing ${type} (conditional create)`),
              412: outcome('The condition matches several resources'),
              ...errors,
            },
          },
      read: {
        tags,
        summary: `Read a ${type}`,
        security,
        params: idParam,
        response: { 200: fhirJson(type), 410: outcome('Deleted'), ...errors },
      },
      update: {
        tags,
        summary: `Update a ${type} (or create it with a client-chosen UUID)`,
        security,
        params: idParam,
        headers: {
          type: 'object',
          properties: { 'if-match': { type: 'string', description: 'W/"<versionId>"' } },
        },
        body: fhirJson(type),
        response: {
          200: fhirJson(`The updated ${type}`),
          201: fhirJson(`The created ${type}`),
          412: outcome('Version conflict'),
          ...errors,
        },
      },
      delete: {
        tags,
        summary: `Delete a ${type} (history is kept)`,
        security,
        params: idParam,
        response: { 204: { description: 'Deleted' }, ...errors },
      },
      history: {
        tags,
        summary: `History of a ${type}`,
        security,
        params: idParam,
        response: { 200: fhirJson('history Bundle'), ...errors },
      },
      vread: {
        tags,
        summary: `Read a version of a ${type}`,
        security,
        params: { type: 'object', properties: { id: { type: 'string' }, vid: { type: 'string' } } },
        response: { 200: fhirJson(type), 410: outcome('This version is a deletion'), ...errors },
      },
    };
  },
};
