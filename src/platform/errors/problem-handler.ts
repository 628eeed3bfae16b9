import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { kindToHttp } from '../../fhir/outcome.ts';
import { normaliseError } from './normalise-error.ts';

/**
 * Errors outside /fhir answer as RFC 9457 problem+json, from the same catalogue as the FHIR
 * OperationOutcomes. A 5xx shows no internals.
 */
export function problemErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const kingaError = normaliseError(error);
  const { status } = kindToHttp[kingaError.kind];
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
  }
  if (status === 429) {
    reply.header('Retry-After', '60');
  }
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `https://kinga.health/errors/${kingaError.code}`,
      title: kingaError.code,
      status,
      detail: status >= 500 ? 'Internal error' : kingaError.message,
    });
}
