import type { FastifyReply } from 'fastify';
import type { FhirResult } from '../core/types.ts';
import { informational } from '../outcome.ts';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export type ReturnPreference = 'minimal' | 'representation' | 'OperationOutcome';

export interface Preferences {
  return: ReturnPreference;
  lenient: boolean;
}

/** Reads the Prefer header (http.html#ops: return=…, search.html#errors: handling=…). */
export function parsePrefer(header: string | undefined): Preferences {
  const preferences: Preferences = { return: 'representation', lenient: false };
  for (const part of (header ?? '').split(/[,;]/)) {
    const [key, value] = part
      .trim()
      .split('=', 2)
      .map((s) => s?.trim().replace(/^"|"$/g, ''));
    if (
      key === 'return' &&
      (value === 'minimal' || value === 'representation' || value === 'OperationOutcome')
    ) {
      preferences.return = value;
    } else if (key === 'handling') {
      preferences.lenient = value === 'lenient';
    }
  }
  return preferences;
}

const STATUS: Record<FhirResult['outcome'], number> = { ok: 200, existing: 200, created: 201, deleted: 204 };

/** Writes a handler's result: status, Location/ETag/Last-Modified, and the body the client preferred. */
export function sendResult(
  reply: FastifyReply,
  result: FhirResult,
  baseUrl: string,
  preferences: Preferences,
): FastifyReply {
  const status = STATUS[result.outcome];
  reply.code(status);
  const payload = result.resource;
  if (payload?.versionId !== undefined && payload.id) {
    reply.header('ETag', `W/"${payload.versionId}"`);
    if (payload.lastUpdated) {
      reply.header('Last-Modified', new Date(payload.lastUpdated).toUTCString());
    }
    if (result.outcome === 'created' || result.outcome === 'existing') {
      reply.header(
        'Location',
        `${baseUrl}/${payload.resourceType}/${payload.id}/_history/${payload.versionId}`,
      );
    }
  }
  if (status === 204 || !payload) {
    return reply.send();
  }
  if (preferences.return === 'minimal' && result.outcome !== 'ok') {
    return reply.send();
  }
  if (preferences.return === 'OperationOutcome' && payload.resourceType !== 'Bundle') {
    return reply
      .type(FHIR_JSON)
      .send(JSON.stringify(informational(`${payload.resourceType}/${payload.id ?? ''} ${result.outcome}`)));
  }
  return reply.type(FHIR_JSON).send(payload.json);
}
