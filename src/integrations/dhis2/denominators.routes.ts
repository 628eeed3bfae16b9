import type { FastifyInstance } from 'fastify';
import type { Config } from '../../platform/config/config.ts';
import { emQueryable } from '../../platform/database/queryable.ts';
import { readDataValueSet } from './data-value-set.ts';
import { authenticated } from './dhis2-auth.ts';
import { dhis2Schema } from './dhis2-schemas.ts';
import { denominatorElements, importDenominators } from './denominators.ts';

/**
 * POST /dhis2/api/dataValueSets: DHIS2's own import endpoint, for DHIS2 to push denominators
 * (population per org unit) with an Aggregate Data Exchange whose target is Kinga (base URL
 * <kinga>/dhis2: ADE appends /api/dataValueSets). Writing aggregate data is creating
 * MeasureReport-like data: system/MeasureReport.c.
 */
export function denominatorRoutes(app: FastifyInstance, config: Config): void {
  const { database } = app.kinga;
  const elements = denominatorElements(config.DHIS2_DENOMINATORS);
  app.post<{ Querystring: Record<string, string | undefined> }>(
    '/api/dataValueSets',
    {
      onRequest: authenticated(
        app,
        { type: 'MeasureReport', permission: 'c', interaction: 'create' },
        { basic: true },
      ),
      schema: dhis2Schema.importDataValueSets,
    },
    async (request, reply) => {
      const push = readDataValueSet(request.body, request.query);
      const message = await database.orm.em
        .fork()
        .transactional(async (tx) => importDenominators(emQueryable(tx), push, elements));
      return reply.code(message.httpStatusCode).send(message);
    },
  );
}
