import type { FastifyInstance } from 'fastify';
import type { Config } from '../../platform/config/config.ts';
import { poolQueryable } from '../../platform/database/queryable.ts';
import { ageBoundsFrom } from '../../domain/indicator/catalogue.ts';
import { categoryOptions } from './category-options.ts';
import { authenticated } from './dhis2-auth.ts';
import { dhis2Schema } from './dhis2-schemas.ts';
import { metadataPackage } from './metadata.ts';

/** GET /dhis2/metadata: the catalogue as a DHIS2 metadata package, register options read now. */
export function metadataRoutes(app: FastifyInstance, config: Config): void {
  const db = poolQueryable(app.kinga.database.pool);
  const ageBounds = ageBoundsFrom(config.INDICATOR_AGE_BOUNDS);
  app.get(
    '/metadata',
    {
      onRequest: authenticated(app, { type: 'Measure', permission: 'r', interaction: 'read' }),
      schema: dhis2Schema.metadata,
    },
    async () => metadataPackage(await categoryOptions(db, ageBounds)),
  );
}
