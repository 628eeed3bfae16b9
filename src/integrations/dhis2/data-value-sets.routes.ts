import type { FastifyInstance } from 'fastify';
import { parsePeriod } from '../../domain/indicator/periods.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import type { Config } from '../../platform/config/config.ts';
import { poolQueryable } from '../../platform/database/queryable.ts';
import { authenticated } from './dhis2-auth.ts';
import { adxMessage } from './formats/adx.ts';
import { dataValueSet } from './formats/data-value-sets.ts';
import { exportIdSchemes } from './formats/id-schemes.ts';
import { measureReportBundle } from './formats/measure-report.ts';
import { negotiateIndicatorMedia } from './formats/negotiate.ts';
import {
  dataSetNamed,
  indicatorCubeOf,
  indicatorData,
  orgUnitsNamed,
  withChildren,
} from './indicator-data.service.ts';
import { dataValueSetsSchema } from './data-value-sets.schema.ts';

type Query = Record<string, string | string[] | undefined>;

const listOf = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .map((v) => v.trim())
    .filter((v) => v !== '');

function required(query: Query, name: string): string[] {
  const values = [...new Set(listOf(query[name]))];
  if (values.length === 0) {
    throw new KingaError('request.invalid', { detail: `${name} is required` });
  }
  return values;
}

/** The one value of a single-valued parameter (DHIS2's id schemes, children). */
function single(query: Query, name: string): string | undefined {
  const values = listOf(query[name]);
  if (values.length > 1) {
    throw new KingaError('request.invalid', { detail: `${name} is given more than once` });
  }
  return values[0];
}

/**
 * GET /dhis2/dataValueSets: the cube's aggregates for data sets, periods and org units, as DHIS2
 * exports them (its own GET /api/dataValueSets parameters), in the form the Accept header asks:
 * DHIS2 JSON, ADX or a Bundle of FHIR MeasureReports, all three from the same observations.
 * What an interoperability layer or a DHIS2 Route-API app pulls; aggregates only.
 */
export function dataValueSetRoutes(app: FastifyInstance, config: Config): void {
  const db = poolQueryable(app.kinga.database.pool);
  const cube = indicatorCubeOf(config, app.kinga.database.pool);
  app.get<{ Querystring: Query }>(
    '/dataValueSets',
    {
      onRequest: authenticated(app, { type: 'Measure', permission: 'r', interaction: 'read' }),
      schema: dataValueSetsSchema,
    },
    async (request, reply) => {
      const media = negotiateIndicatorMedia(request.headers.accept);
      const query = request.query;
      const schemes = exportIdSchemes({
        idScheme: single(query, 'idScheme'),
        dataSetIdScheme: single(query, 'dataSetIdScheme'),
        dataElementIdScheme: single(query, 'dataElementIdScheme'),
        orgUnitIdScheme: single(query, 'orgUnitIdScheme'),
        categoryOptionComboIdScheme: single(query, 'categoryOptionComboIdScheme'),
        categoryOptionIdScheme: single(query, 'categoryOptionIdScheme'),
      });
      const dataSets = [...new Set(required(query, 'dataSet').map(dataSetNamed))];
      const periods = required(query, 'period').map((code) => parsePeriod(code));
      const children = single(query, 'children');
      if (children !== undefined && children !== 'true' && children !== 'false') {
        throw new KingaError('request.invalid', { detail: 'children is true or false' });
      }
      const named = await orgUnitsNamed(db, required(query, 'orgUnit'));
      const orgUnits = await withChildren(db, named, dataSets, children === 'true');
      const data = await indicatorData(cube, dataSets, periods, orgUnits);
      const now = new Date();
      reply.header('vary', 'Accept');
      switch (media) {
        case 'application/adx+xml':
          return reply.type('application/adx+xml; charset=utf-8').send(adxMessage(data, schemes, now));
        case 'application/fhir+json':
          return reply
            .type('application/fhir+json; charset=utf-8')
            .send(JSON.stringify(measureReportBundle(data, { generated: now, currency: config.CURRENCY })));
        case 'application/json':
          return reply
            .type('application/json; charset=utf-8')
            .send(JSON.stringify(dataValueSet(data, schemes)));
      }
    },
  );
}
