import { problemResponse } from '../../platform/errors/problem-schema.ts';

/** OpenAPI of GET /dhis2/dataValueSets (checked by fastify, documented by the OpenAPI document). */

const problem = problemResponse;

const many = (description: string) => ({
  type: 'array',
  items: { type: 'string' },
  description,
});

const scheme = (what: string) => ({
  type: 'string',
  description: `How ${what} are named: CODE or UID (default: idScheme)`,
});

export const dataValueSetsSchema = {
  tags: ['DHIS2'],
  security: [{ smartBackendServices: [] }],
  summary: 'Indicator values of data sets, as DHIS2 JSON, ADX or FHIR MeasureReports',
  description:
    "The indicator cube's aggregates, with DHIS2's GET /api/dataValueSets parameters, answered by content " +
    'negotiation: `application/json` (default) a DHIS2 data value set (DXF2, bulk form, values as strings, the id ' +
    'schemes written on the root so it imports as it is); `application/adx+xml` an ADX message (namespace ' +
    'urn:ihe:qrph:adx:2015, one group per data set, org unit and period, categories exploded as attributes); ' +
    '`application/fhir+json` a collection Bundle of summary MeasureReports (IHE mADX), one per data set, org unit ' +
    "and period. Every object is named by CODE unless asked otherwise (ADX and openIMIS use codes; DHIS2's own JSON " +
    'default is UID, which the metadata package derives from the codes). A category option combo by code is its ' +
    "options' codes joined by `_` (AGE_GROUP_P0Y_P5Y_SEX_F). Strata with nothing are left out unless the indicator's " +
    'zeros are significant; small counts are withheld when INDICATOR_SUPPRESS_BELOW is set (left out of DHIS2 ' +
    'forms, a data-absent-reason `masked` in MeasureReports). Needs system/Measure.r.',
  querystring: {
    type: 'object',
    properties: {
      dataSet: many('Data set(s), by code (ENROLMENT, PROCESSED_CLAIM, MONITORING) or DHIS2 UID'),
      period: many('DHIS2 period(s): yyyyMMdd, yyyyWn (ISO week), yyyyMM, yyyyQn or yyyy'),
      orgUnit: many(
        'Org unit(s): a location or health facility by Kinga id or code, DHIS2 UID or DHIS2 code',
      ),
      children: {
        type: 'string',
        enum: ['true', 'false'],
        description: "true: also each org unit's children",
      },
      idScheme: {
        type: 'string',
        description: 'CODE (default) or UID, for every object without its own scheme',
      },
      dataSetIdScheme: scheme('data sets'),
      dataElementIdScheme: scheme('data elements'),
      orgUnitIdScheme: scheme('org units'),
      categoryOptionComboIdScheme: scheme('category option combos (JSON)'),
      categoryOptionIdScheme: scheme('category options (ADX attribute values)'),
    },
    required: ['dataSet', 'period', 'orgUnit'],
  },
  response: {
    200: {
      description: 'The values, in the form asked for',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            description: 'DHIS2 data value set (DXF2)',
            properties: {
              dataSet: { type: 'string' },
              dataSetIdScheme: { type: 'string' },
              dataElementIdScheme: { type: 'string' },
              orgUnitIdScheme: { type: 'string' },
              categoryOptionComboIdScheme: { type: 'string' },
              dataValues: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    dataElement: { type: 'string' },
                    period: { type: 'string' },
                    orgUnit: { type: 'string' },
                    categoryOptionCombo: { type: 'string' },
                    value: { type: 'string' },
                  },
                },
              },
            },
          },
        },
        'application/adx+xml': {
          schema: { type: 'string', description: 'ADX message (urn:ihe:qrph:adx:2015)' },
        },
        'application/fhir+json': {
          schema: {
            type: 'object',
            additionalProperties: true,
            description: 'Bundle (collection) of MeasureReports',
          },
        },
      },
    },
    400: problem(
      'A missing or bad parameter: a period that is not DHIS2, an unknown data set or org unit, an id scheme other than CODE or UID',
    ),
    401: problem('Missing or invalid access token'),
    403: problem('The token has no system/Measure.r scope'),
    406: problem('Accept names none of the three forms'),
  },
};
