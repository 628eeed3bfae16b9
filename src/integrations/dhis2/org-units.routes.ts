import type { FastifyInstance } from 'fastify';
import { mapOrgUnits, type OrgUnitMappingRow } from '../../domain/indicator/map-org-units.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import { CsvSyntaxError, parseCsv } from '../../platform/http/csv.ts';
import { assertScope, authenticated } from './dhis2-auth.ts';
import { dhis2Schema } from './dhis2-schemas.ts';

const invalid = (detail: string) => new KingaError('request.invalid', { detail });

/**
 * PUT /dhis2/orgUnits: maps locations and health facilities to DHIS2 org units in bulk, all or
 * nothing, and answers what changed. JSON `[{location|facility: id or code, uid?, code?}]` (left
 * out: unchanged; null: cleared) or CSV with a header `kind,code,uid,dhis2code` (a column left out
 * of the header is unchanged; an empty cell clears).
 */
export function orgUnitRoutes(app: FastifyInstance): void {
  const { database } = app.kinga;
  app.put(
    '/orgUnits',
    {
      onRequest: authenticated(app, { type: 'Location', permission: 'u', interaction: 'update' }),
      schema: dhis2Schema.orgUnits,
    },
    async (request) => {
      const rows = typeof request.body === 'string' ? rowsOfCsv(request.body) : rowsOfJson(request.body);
      if (rows.some((row) => row.kind === 'facility')) {
        assertScope(request, { type: 'Organization', permission: 'u', interaction: 'update' });
      }
      const context = { actor: request.principal!.clientId, requestId: request.id };
      return inTransaction(database.orm.em.fork(), context, (tx) => mapOrgUnits(tx, rows));
    },
  );
}

function rowsOfJson(body: unknown): OrgUnitMappingRow[] {
  if (!Array.isArray(body)) {
    throw invalid('send a JSON array of {location or facility, uid, code}, or text/csv');
  }
  return body.map((entry: unknown, index): OrgUnitMappingRow => {
    const row = (entry ?? {}) as Record<string, unknown>;
    if (typeof row !== 'object' || Array.isArray(row)) {
      throw invalid(`row ${index} is not an object`);
    }
    const unknown = Object.keys(row).filter((k) => !['location', 'facility', 'uid', 'code'].includes(k));
    if (unknown.length > 0) {
      throw invalid(`row ${index}: unknown member ${unknown.join(', ')}`);
    }
    const kinds = (['location', 'facility'] as const).filter((k) => row[k] !== undefined);
    const kind = kinds[0];
    if (kinds.length !== 1 || !kind || typeof row[kind] !== 'string' || !row[kind].trim()) {
      throw invalid(`row ${index}: name one location or one facility (its id or code)`);
    }
    for (const member of ['uid', 'code'] as const) {
      if (row[member] !== undefined && row[member] !== null && typeof row[member] !== 'string') {
        throw invalid(`row ${index}: ${member} is a string, or null to clear it`);
      }
    }
    return {
      kind,
      key: row[kind].trim(),
      ...(row['uid'] === undefined ? {} : { dhis2Uid: row['uid'] as string | null }),
      ...(row['code'] === undefined ? {} : { dhis2Code: row['code'] as string | null }),
    };
  });
}

function rowsOfCsv(text: string): OrgUnitMappingRow[] {
  const [header, ...lines] = recordsOf(text);
  const columns = (header ?? []).map((h) => h.trim().toLowerCase());
  const at = (name: string) => columns.indexOf(name);
  if (at('kind') < 0 || at('code') < 0 || (at('uid') < 0 && at('dhis2code') < 0)) {
    throw invalid('the CSV header names kind, code and uid and/or dhis2code');
  }
  return lines.map((cells, index): OrgUnitMappingRow => {
    const cell = (name: string) => cells[at(name)]?.trim() ?? '';
    const kind = cell('kind').toLowerCase();
    if (kind !== 'location' && kind !== 'facility') {
      throw invalid(`row ${index}: kind is location or facility, not ${cell('kind') || 'empty'}`);
    }
    if (!cell('code')) {
      throw invalid(`row ${index}: code (the Kinga code or id) is empty`);
    }
    return {
      kind,
      key: cell('code'),
      ...(at('uid') < 0 ? {} : { dhis2Uid: cell('uid') || null }),
      ...(at('dhis2code') < 0 ? {} : { dhis2Code: cell('dhis2code') || null }),
    };
  });
}

/** The CSV's rows as cells; a file that is not CSV is a 400 naming where. */
function recordsOf(text: string): string[][] {
  try {
    return parseCsv(text).map((record) => record.fields);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw invalid(`line ${error.line}, field ${error.field}: ${error.message}`);
    }
    throw error;
  }
}
