import {
  ConnectionException,
  ForeignKeyConstraintViolationException,
  LockWaitTimeoutException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { KingaError } from '../../domain/shared/errors.ts';
import { uniqueKeyErrors } from '../../domain/shared/unique-keys.ts';

interface HttpishError {
  code?: string;
  statusCode?: number;
  validation?: { instancePath?: string; message?: string }[];
  message?: string;
}

/**
 * Turns anything thrown while serving a request into a catalogue error. Framework, ORM and
 * database failures get their kind here, in one place; whatever is unknown is an internal error,
 * whose message never reaches the client.
 */
export function normaliseError(error: unknown): KingaError {
  if (error instanceof KingaError) {
    return error;
  }
  if (error instanceof OptimisticLockError) {
    return new KingaError('record.concurrent-change', {}, { cause: error });
  }
  if (error instanceof UniqueConstraintViolationException) {
    return duplicateError(error);
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    return new KingaError('record.reference-missing', {}, { cause: error });
  }
  if (
    error instanceof ConnectionException ||
    error instanceof LockWaitTimeoutException ||
    isUnavailable(error)
  ) {
    return new KingaError('internal.unavailable', {}, { cause: error });
  }
  const e = (error ?? {}) as HttpishError;
  switch (e.code ?? '') {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new KingaError('request.unsupported-media-type', { type: 'of this request' }, { cause: error });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new KingaError('request.too-large', { max: 'the limit' }, { cause: error });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new KingaError('request.malformed-json', { detail: 'the body is empty' }, { cause: error });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new KingaError('request.malformed-json', { detail: 'it cannot be parsed' }, { cause: error });
    default:
      break;
  }
  if (e.validation) {
    const detail = e.validation
      .map((v) => `${v.instancePath || 'request'} ${v.message ?? 'is invalid'}`)
      .join('; ');
    return new KingaError('request.invalid', { detail }, { cause: error });
  }
  if (e.statusCode === 429) {
    return new KingaError('request.rate-limited', { seconds: 60 }, { cause: error });
  }
  if (e.statusCode === 413) {
    return new KingaError('request.too-large', { max: 'the limit' }, { cause: error });
  }
  if (e.statusCode === 415) {
    return new KingaError('request.unsupported-media-type', { type: 'of this request' }, { cause: error });
  }
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return new KingaError('request.invalid', { detail: e.message ?? 'Bad request' }, { cause: error });
  }
  return new KingaError('internal.unexpected', {}, { cause: error });
}

/** A unique index violation as the domain error it stands for, with the duplicated value. */
function duplicateError(error: UniqueConstraintViolationException): KingaError {
  const { constraint, detail } = error as { constraint?: string; detail?: string };
  const known = constraint ? uniqueKeyErrors[constraint] : undefined;
  if (!known) {
    return new KingaError('record.duplicate', {}, { cause: error });
  }
  // PostgreSQL's detail reads: Key (insurance_number)=(123) already exists.
  const value = /\)=\((.*)\) already exists/.exec(detail ?? '')?.[1] ?? '';
  return new KingaError(known.code, { [known.param]: value }, { field: known.field, cause: error });
}

/** PostgreSQL errors that mean "try again later": shutdown, too many connections, statement timeout. */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (
    code === '57P01' || code === '57P03' || code === '53300' || code === '57014' || code === 'ECONNREFUSED'
  );
}
