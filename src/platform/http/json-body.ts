import secureJson from 'secure-json-parse';
import { KingaError } from '../../domain/shared/errors.ts';

export const MAX_JSON_DEPTH = 100;

/**
 * Parses a JSON body after checking how deep it nests: a few kilobytes of `[[[[…` would otherwise
 * reach the validators' recursion and exhaust the stack. Prototype-poisoning keys are rejected.
 */
export function parseJsonBody(text: string): unknown {
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
  // Only the escape \u0000 puts a NUL in a parsed string (JSON forbids a raw one); PostgreSQL's
  // text cannot hold it, so such a value would fail at the write. Looked for only when the text
  // has the escape, so other bodies are not walked again.
  if (text.includes('\\u0000')) {
    const root = (parsed as { resourceType?: unknown } | null)?.resourceType;
    const path = nulPath(parsed, typeof root === 'string' ? root : '$');
    if (path !== undefined) {
      throw new KingaError('request.nul-character', { path }, { expression: path });
    }
  }
  return parsed;
}

/** The FHIRPath-like path of the first string value holding a NUL, or of the object whose key does. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? path : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}[${i}]`);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      // A key with NUL is named by the object holding it: the expression must not carry the NUL.
      const found = key.includes('\u0000') ? path : nulPath(child, `${path}.${key}`);
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
