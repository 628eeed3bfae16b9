import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { ErrorIssue, ErrorKind, KingaError } from '../domain/shared/errors.ts';

/** HTTP status and FHIR IssueType for each error kind (FHIR R4 http.html, valueset-issue-type). */
export const kindToHttp: Record<ErrorKind, { status: number; issueCode: OperationOutcomeIssue['code'] }> = {
  invalid: { status: 400, issueCode: 'invalid' },
  unprocessable: { status: 422, issueCode: 'business-rule' },
  unauthorized: { status: 401, issueCode: 'login' },
  forbidden: { status: 403, issueCode: 'forbidden' },
  'not-found': { status: 404, issueCode: 'not-found' },
  'not-supported': { status: 404, issueCode: 'not-supported' },
  'method-not-allowed': { status: 405, issueCode: 'not-supported' },
  'not-acceptable': { status: 406, issueCode: 'not-supported' },
  conflict: { status: 409, issueCode: 'conflict' },
  gone: { status: 410, issueCode: 'deleted' },
  'precondition-failed': { status: 412, issueCode: 'conflict' },
  'too-large': { status: 413, issueCode: 'too-costly' },
  'unsupported-media-type': { status: 415, issueCode: 'not-supported' },
  'too-many-requests': { status: 429, issueCode: 'throttled' },
  internal: { status: 500, issueCode: 'exception' },
  unavailable: { status: 503, issueCode: 'transient' },
};

export const KINGA_ERROR_SYSTEM = 'https://kinga.health/fhir/CodeSystem/error-code';

export function outcomeOf(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

export function informational(text: string): OperationOutcome {
  return outcomeOf([{ severity: 'information', code: 'informational', diagnostics: text }]);
}

/** The OperationOutcome for a Kinga error; internal errors never show their message. */
export function outcomeForError(error: KingaError): OperationOutcome {
  const base = kindToHttp[error.kind];
  if (error.kind === 'internal') {
    return outcomeOf([{ severity: 'error', code: 'exception', diagnostics: 'Internal error' }]);
  }
  return outcomeOf(error.issues.map((issue) => issueFor(error, issue, base.issueCode)));
}

function issueFor(
  error: KingaError,
  issue: ErrorIssue,
  defaultCode: OperationOutcomeIssue['code'],
): OperationOutcomeIssue {
  return {
    severity: issue.severity ?? 'error',
    code: (issue.issueCode as OperationOutcomeIssue['code']) ?? defaultCode,
    details: { coding: [{ system: KINGA_ERROR_SYSTEM, code: error.code }], text: issue.message },
    diagnostics: issue.message,
    ...(issue.expression ? { expression: [issue.expression] } : {}),
  };
}
