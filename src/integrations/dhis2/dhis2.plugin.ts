import type { FastifyInstance } from 'fastify';
import { publishMeasures } from '../../fhir/measure/publish-measures.ts';
import type { Config } from '../../platform/config/config.ts';
import { denominatorRoutes } from './denominators.routes.ts';
import { indicatorExchangeRoutes } from './indicator-exchange.routes.ts';
import { metadataRoutes } from './metadata.routes.ts';
import { orgUnitRoutes } from './org-units.routes.ts';

/** A group of /dhis2 routes; each route checks its own token and scope. */
export type Dhis2Routes = (app: FastifyInstance, config: Config) => void;

/** Every /dhis2 route group: add a group here to serve more of the DHIS2 surface. */
const routes: readonly Dhis2Routes[] = [
  orgUnitRoutes,
  metadataRoutes,
  denominatorRoutes,
  indicatorExchangeRoutes,
];

/**
 * /dhis2: what DHIS2 and its admins use: the org-unit mapping, the metadata package of the
 * indicator catalogue, and DHIS2's own /api/dataValueSets for its pushes. Registering it also
 * publishes the catalogue's Measures (FHIR), so both views of the catalogue start in step.
 */
export async function dhis2Plugin(app: FastifyInstance, options: { config: Config }): Promise<void> {
  await publishMeasures(app.kinga.database.pool);
  // The org-unit mapping also comes as a spreadsheet's CSV.
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });
  for (const register of routes) {
    register(app, options.config);
  }
}
