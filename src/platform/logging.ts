import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config/config.ts';

/**
 * pino options. Logs are as sensitive as the data (FHIR security.html), so what identifies a
 * person never reaches them: query strings (identifiers, names, phone numbers) are dropped from
 * URLs, tokens and credentials are redacted, and bodies are never logged.
 */
export function loggerOptions(config: Config, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        '*.client_secret',
        '*.client_assertion',
        '*.access_token',
        '*.password',
      ],
      censor: '[redacted]',
    },
    serializers: {
      // The request id is already on every line (reqId); the query string is dropped.
      req: (request: { method: string; url: string }) => ({
        method: request.method,
        url: request.url.split('?')[0],
      }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
}
