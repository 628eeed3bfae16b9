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
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw new KingaError('request.malformed-json', { detail: (error as Error).message }, { cause: error });
  }
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
