import { problemResponse } from '../../platform/errors/problem-schema.ts';

/**
 * Route schemas of /dhis2: they document the routes in the OpenAPI document. Bodies are checked by
 * the handlers (a body may be JSON or CSV); answers are open objects (DHIS2's own formats).
 */
const security = [{ smartBackendServices: [] }];
const tags = ['DHIS2'];

const problem = problemResponse;

const open = (description: string) => ({ description, type: 'object', additionalProperties: true });

export const dhis2Schema = {
  orgUnits: {
    tags,
    security,
    summary: 'Map locations and health facilities to DHIS2 org units, in bulk',
    description:
      'All or nothing. JSON: `[{"location"|"facility": id or Kinga code, "uid"?: DHIS2 UID, "code"?: DHIS2 code}]` ' +
      '(a member left out is unchanged, null clears it). CSV (text/csv): a header `kind,code,uid,dhis2code` ' +
      '(kind location or facility; a column left out is unchanged, an empty cell clears). Needs ' +
      'system/Location.u, and system/Organization.u for facilities. Unmapped records are exported under a UID ' +
      'derived from their id.',
    response: {
      200: open(
        'What changed: `changed[]` (row, kind, id, code, dhis2Uid, dhis2Code, previous) and `unchanged`',
      ),
      400: problem('Not a JSON array of rows nor a CSV with the header'),
      401: problem('Missing or invalid access token'),
      403: problem('The token has no system/Location.u (or system/Organization.u) scope'),
      422: problem(
        'A row names an unknown record, an invalid UID, or a UID or code already used: nothing changed',
      ),
    },
  },
  metadata: {
    tags,
    security,
    summary: 'The DHIS2 metadata package of the indicator catalogue',
    description:
      'For DHIS2 POST /api/metadata: categoryOptions, categories, categoryCombos, dataElements, dataSets, ' +
      'each with its code and a UID derived from it (importing again updates the same objects). Register ' +
      'options (products, diagnoses, services) are read now; age groups follow INDICATOR_AGE_BOUNDS. Needs ' +
      'system/Measure.r.',
    response: {
      200: open('DHIS2 metadata JSON'),
      401: problem('Missing or invalid access token'),
      403: problem('The token has no system/Measure.r scope'),
    },
  },
  importDataValueSets: {
    tags,
    security,
    summary: "Denominators pushed by DHIS2 (its /api/dataValueSets, as Aggregate Data Exchange's target)",
    description:
      'DHIS2 JSON data value set, header or bulk form. Only the data elements of DHIS2_DENOMINATORS are kept ' +
      '(population per org unit and period); org units by DHIS2 UID or code (orgUnitIdScheme, idScheme; ' +
      'default UID). importStrategy CREATE_AND_UPDATE (default), CREATE, UPDATE or DELETE; dryRun. Answers a ' +
      'DHIS2 import summary: 200, or 409 with status WARNING and the conflicts when values were ignored. ' +
      'Authenticates with a bearer token or HTTP Basic (a registered client id and secret); needs ' +
      'system/MeasureReport.c.',
    querystring: {
      type: 'object',
      properties: {
        idScheme: { type: 'string', description: 'UID (default) or CODE' },
        orgUnitIdScheme: { type: 'string', description: 'UID or CODE; overrides idScheme' },
        dataElementIdScheme: { type: 'string', description: 'UID or CODE; overrides idScheme' },
        importStrategy: { type: 'string', description: 'CREATE_AND_UPDATE, CREATE, UPDATE or DELETE' },
        dryRun: { type: 'string', description: 'true: check and count, store nothing' },
      },
    },
    response: {
      200: open('DHIS2 WebMessage with an ImportSummary: every value imported, updated or deleted'),
      401: problem('Missing or invalid credentials'),
      403: problem('No system/MeasureReport.c scope'),
      409: open('DHIS2 WebMessage with an ImportSummary: some values were ignored (conflicts, by index)'),
    },
  },
};
