import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { KingaError } from '../../domain/shared/errors.ts';

/** Compares secrets in constant time (a timing difference would reveal how much of a guess was right). */
export function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) {
    return false;
  }
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * For providers that sign nothing (M-Pesa, MTN): the secret in the callback path, and the source
 * address when an allow-list is configured (integrations.md §5.1). A wrong secret is 404, as if
 * the endpoint did not exist; a wrong address 403.
 */
export function assertPathSecret(
  request: FastifyRequest<{ Params: Record<string, string> }>,
  expected: string | undefined,
  allowedIps = '',
): void {
  if (!sameSecret(request.params['secret'], expected)) {
    throw new KingaError('payment.callback-unknown');
  }
  const allowed = allowedIps
    .split(',')
    .map((ip) => ip.trim())
    .filter(Boolean);
  if (allowed.length > 0 && !allowed.includes(request.ip)) {
    throw new KingaError('payment.callback-source-refused', { ip: request.ip });
  }
}
