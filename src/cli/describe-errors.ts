import { ErrorCatalogue, type ErrorCode } from '../domain/shared/errors.ts';
import { kindToHttp } from '../fhir/outcome.ts';

/**
 * docs/errors.md, derived from the catalogue: every code a client can meet, with its HTTP status
 * and FHIR issue type. A test keeps the committed file in step.
 */
export function errorsDocument(): string {
  const rows = (Object.keys(ErrorCatalogue) as ErrorCode[]).map((code) => {
    const { kind, message } = ErrorCatalogue[code];
    const { status, issueCode } = kindToHttp[kind];
    return `| \`${code}\` | ${status} | \`${issueCode}\` | ${message.replaceAll('|', '\\|')} |`;
  });
  return [
    '# Errors',
    '',
    'Every error Kinga answers comes from one catalogue (`src/domain/shared/errors.ts`). Under `/fhir` it is an',
    'OperationOutcome whose `issue.details.coding` carries the code (system',
    '`https://kinga.health/fhir/CodeSystem/error-code`) and whose `issue.expression` names the element at fault;',
    'elsewhere it is `application/problem+json` with the code in `type`. A 5xx never carries details.',
    '',
    'This file is generated: `node src/cli/describe-errors.ts > docs/errors.md`.',
    '',
    '| Code | HTTP | FHIR issue | Message |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (import.meta.main) {
  process.stdout.write(errorsDocument());
}
