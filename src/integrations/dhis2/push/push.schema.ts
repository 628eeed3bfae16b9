import { problemResponse } from '../../../platform/errors/problem-schema.ts';

/** OpenAPI of POST /dhis2/push. */

const problem = problemResponse;

const run = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    instance: { type: 'string' },
    dataSet: { type: 'string' },
    period: { type: 'string' },
    format: { type: 'string', enum: ['json', 'adx'] },
    status: {
      type: 'string',
      enum: ['running', 'success', 'conflict', 'error', 'failed'],
      description:
        'success: every value imported; conflict: DHIS2 ignored some (409 or WARNING; see conflicts); error: DHIS2 ' +
        'refused the request (another 4xx); failed: no answer or a 5xx',
    },
    httpStatus: { type: ['integer', 'null'] },
    valuesSent: { type: 'integer' },
    importCount: {
      type: ['object', 'null'],
      properties: {
        imported: { type: 'integer' },
        updated: { type: 'integer' },
        ignored: { type: 'integer' },
        deleted: { type: 'integer' },
      },
    },
    conflicts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          object: { type: 'string' },
          value: { type: 'string' },
          errorCode: { type: 'string' },
          property: { type: 'string' },
          indexes: { type: 'array', items: { type: 'integer' } },
        },
      },
    },
    message: { type: ['string', 'null'] },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

export const pushSchema = {
  tags: ['DHIS2'],
  security: [{ smartBackendServices: [] }],
  summary: "Push a data set's period to a DHIS2 instance now",
  description:
    'What the monthly push-dhis2 job does for one instance of DHIS2_INSTANCES, one data set and one period (a ' +
    're-push after fixing metadata or data): the values of every ward (location data sets) or health facility ' +
    "(PROCESSED_CLAIM) POSTed to the instance's /api/dataValueSets, by code, importStrategy CREATE_AND_UPDATE (a " +
    "re-push updates), as JSON or ADX; DHIS2's import summary is recorded as a run and answered. Needs " +
    'system/Measure.u.',
  body: {
    type: 'object',
    required: ['instance', 'dataSet', 'period'],
    additionalProperties: false,
    properties: {
      instance: { type: 'string', description: 'The instance name in DHIS2_INSTANCES' },
      dataSet: { type: 'string', description: 'Data set code (or DHIS2 UID) the instance takes' },
      period: { type: 'string', description: 'DHIS2 period (202611, 2026Q4, …)' },
    },
  },
  response: {
    200: { description: 'The recorded run: DHIS2 answered (success, conflict or error)', ...run },
    400: problem(
      'Unknown instance or data set, a data set the instance does not take, or not a DHIS2 period',
    ),
    401: problem('Missing or invalid access token'),
    403: problem('The token has no system/Measure.u scope'),
    502: { description: 'The recorded run: DHIS2 did not answer or answered 5xx (status failed)', ...run },
  },
};
