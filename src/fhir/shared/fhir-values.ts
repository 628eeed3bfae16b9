import type { CodeableConcept, Extension, Identifier, Reference, Resource } from '@medplum/fhirtypes';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import { OPENIMIS_IDENTIFIER_TYPES } from './openimis.ts';

/** Small readers shared by the mappers; each failure names the element it read. */

export function findExtension(extensions: Extension[] | undefined, url: string): Extension | undefined {
  return extensions?.find((e) => e.url === url);
}

export function codeFrom(concept: CodeableConcept | undefined, systems?: string[]): string | undefined {
  const coding = concept?.coding?.find((c) => !systems || !c.system || systems.includes(c.system));
  return coding?.code;
}

export function concept(system: string, code: string, display?: string): CodeableConcept {
  return { coding: [{ system, code, ...(display ? { display } : {}) }] };
}

/** `Type/<uuid>` (or an absolute URL ending so) → uuid; anything else is a 400 naming `expression`. */
export function referenceId(
  reference: Reference | undefined,
  type: string,
  expression: string,
): string | undefined {
  const text = reference?.reference;
  if (text === undefined) {
    return undefined;
  }
  const match = /(?:^|\/)([A-Za-z]+)\/([^/]+?)(?:\/_history\/[^/]+)?$/.exec(text);
  if (!match || match[1] !== type || !isUuid(match[2]!)) {
    throw new KingaError('fhir.reference-invalid', { reference: text, expected: type }, { expression });
  }
  return match[2]!.toLowerCase();
}

/** `{ reference: 'Type/id' }`, typed for whichever element it is put in. */

export function reference<T extends Resource = any>(
  type: string,
  id: string | undefined | null,
): Reference<T> | undefined {
  return id ? { reference: `${type}/${id}` } : undefined;
}

/** The openIMIS identifier type code of an identifier (Code, UUID, …), if it carries one. */
export function identifierTypeCode(identifier: Identifier): string | undefined {
  return identifier.type?.coding?.find((c) => !c.system || c.system === OPENIMIS_IDENTIFIER_TYPES)?.code;
}

/** A business-code identifier as openIMIS clients expect it, with Kinga's system. */
export function codeIdentifier(system: string, value: string): Identifier {
  return {
    use: 'usual',
    type: { coding: [{ system: OPENIMIS_IDENTIFIER_TYPES, code: 'Code' }] },
    system,
    value,
  };
}

/** Drops undefined members, so optional elements are absent rather than null in the JSON. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    const v = value[key];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) {
      delete value[key];
    }
  }
  return value;
}

/** The record id as openIMIS publishes it: an identifier of type UUID, without a system. */
export function uuidIdentifier(id: string): Identifier {
  return { type: { coding: [{ system: OPENIMIS_IDENTIFIER_TYPES, code: 'UUID' }] }, value: id };
}

/** A 422 for a resource that breaks `profile` at `expression` in a way only the mapper can see. */
export function profileViolation(
  profile: string,
  expression: string,
  message: string,
  issueCode: 'value' | 'required' = 'value',
): KingaError {
  return new KingaError(
    'fhir.profile-violation',
    { profile },
    { issues: [{ message, expression, issueCode }] },
  );
}

/** The code of `value` when it is one of `allowed`; absent → null; anything else → 422 at `expression`. */
export function codeIn<T extends string>(
  value: CodeableConcept | undefined,
  allowed: readonly T[],
  profile: string,
  expression: string,
): T | null {
  const code = codeFrom(value);
  if (code === undefined) {
    return null;
  }
  if (!allowed.includes(code as T)) {
    throw profileViolation(profile, expression, `${code} is not one of ${allowed.join(', ')}`);
  }
  return code as T;
}
