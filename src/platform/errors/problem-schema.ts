/** The body of an RFC 9457 problem, as the error handler writes it outside /fhir. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
  },
} as const;

/** A route's error answer for the OpenAPI document: problem+json, with what it means. */
export function problemResponse(description: string) {
  return {
    description: `${description} (problem+json)`,
    content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } },
  };
}
