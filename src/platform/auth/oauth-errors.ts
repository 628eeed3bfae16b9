import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../domain/shared/errors.ts';
import { normaliseError } from '../errors/normalise-error.ts';
import { kindToHttp } from '../../fhir/outcome.ts';

/** RFC 6749 §5.2 error codes of the token endpoint's own failures. */
const OAUTH_ERRORS: Partial<Record<ErrorCode, { status: number; error: string }>> = {
  'auth.token-request-invalid': { status: 400, error: 'invalid_request' },
  'auth.unsupported-grant-type': { status: 400, error: 'unsupported_grant_type' },
  'auth.scope-invalid': { status: 400, error: 'invalid_scope' },
  'auth.client-invalid': { status: 401, error: 'invalid_client' },
  'auth.client-assertion-refused': { status: 401, error: 'invalid_client' },
  'auth.client-disabled': { status: 401, error: 'invalid_client' },
};

function oauthErrorOf(code: ErrorCode, status: number): { status: number; error: string } {
  const known = OAUTH_ERRORS[code];
  if (known) {
    return known;
  }
  if (status === 503) {
    return { status, error: 'temporarily_unavailable' };
  }
  if (status >= 500) {
    return { status, error: 'server_error' };
  }
  if (status === 429) {
    return { status, error: 'invalid_request' };
  }
  // Anything else the framework refuses (media type, size, a parameter given twice) is a bad request.
  return { status: 400, error: 'invalid_request' };
}

/**
 * Errors of the token endpoint answer as OAuth JSON `{error, error_description}` (RFC 6749 §5.2)
 * from the same catalogue as everything else; a 401 to a Basic-authenticated request carries
 * WWW-Authenticate: Basic, as §5.2 requires.
 */
export function oauthErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const kingaError = normaliseError(error);
  const { status, error: code } = oauthErrorOf(kingaError.code, kindToHttp[kingaError.kind].status);
  if (status >= 500) {
    request.log.error({ err: error }, 'token request failed');
  } else {
    const reason = kingaError.cause instanceof Error ? kingaError.cause.message : undefined;
    request.log.info({ code: kingaError.code, reason }, 'token request refused');
  }
  if (status === 401 && /^Basic /i.test(request.headers.authorization ?? '')) {
    reply.header('WWW-Authenticate', 'Basic realm="kinga", charset="UTF-8"');
  }
  if (status === 429) {
    reply.header('Retry-After', '60');
  }
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type('application/json')
    .send({ error: code, error_description: status >= 500 ? 'Internal error' : kingaError.message });
}
