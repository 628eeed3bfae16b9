import secureJson from 'secure-json-parse';
import { KingaError } from '../../domain/shared/errors.ts';

export const MAX_JSON_DEPTH = 100;

/** NUL, which no PostgreSQL text can hold. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NUL = /\u0000/;
/**
 * The characters a FHIR string may not hold: those below U+0020 but tab, line feed and carriage
 * return (datatypes.html#string). Served back, they would make the resource invalid FHIR.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const FHIR_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * Parses a JSON body after checking how deep it nests: a few kilobytes of `[[[[…` would otherwise
 * reach the validators' recursion and exhaust the stack. Prototype-poisoning keys are rejected.
 * Any body holding NUL is refused; a FHIR body (`fhir`) also holding another control character
 * FHIR strings forbid.
 */
export function parseJsonBody(text: string, { fhir = false }: { fhir?: boolean } = {}): unknown {
  if (text.trim() === '') {
    throw new KingaError('request.malformed-json', { detail: 'the body is empty' });
  }
  assertDepth(text, MAX_JSON_DEPTH);
  let parsed: unknown;
  try {
    parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw new KingaError('request.malformed-json', { detail: (error as Error).message }, { cause: error });
  }
  // JSON text holds a control character only escaped (RFC 8259 §7): as \u00XX, or for FHIR's
  // forbidden ones also \b and \f. The parsed body is walked only when the text has such an
  // escape, so other bodies are not walked again.
  const escaped = fhir
    ? text.includes('\\u000') || text.includes('\\u001') || text.includes('\\b') || text.includes('\\f')
    : text.includes('\\u0000');
  if (escaped) {
    const root = (parsed as { resourceType?: unknown } | null)?.resourceType;
    const found = pathHolding(parsed, typeof root === 'string' ? root : '$', fhir ? FHIR_FORBIDDEN : NUL);
    if (found?.character === '\u0000') {
      throw new KingaError('request.nul-character', { path: found.path }, { expression: found.path });
    }
    if (found) {
      const code = `U+${found.character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      throw new KingaError('fhir.control-character', { path: found.path, code }, { expression: found.path });
    }
  }
  return parsed;
}

/**
 * The FHIRPath-like path of the first string value holding a character `forbidden` matches, or
 * of the object whose key does (the expression must not carry the character), with that character.
 */
function pathHolding(
  value: unknown,
  path: string,
  forbidden: RegExp,
): { path: string; character: string } | undefined {
  if (typeof value === 'string') {
    const match = forbidden.exec(value);
    return match ? { path, character: match[0] } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathHolding(value[i], `${path}[${i}]`, forbidden);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const inKey = forbidden.exec(key);
      const found = inKey ? { path, character: inKey[0] } : pathHolding(child, `${path}.${key}`, forbidden);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
}

function assertDepth(text: string, max: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) {
        i++;
      } else if (c === 34 /* " */) {
        inString = false;
      }
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91 /* { [ */) {
      if (++depth > max) {
        throw new KingaError('request.too-deep', { max });
      }
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
}
