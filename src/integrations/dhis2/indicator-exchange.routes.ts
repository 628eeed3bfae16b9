import type { FastifyInstance } from 'fastify';
import type { Config } from '../../platform/config/config.ts';
import { dataValueSetRoutes } from './data-value-sets.routes.ts';
import { pushRoutes } from './push/push.routes.ts';

/** The indicators leaving Kinga: pulled (GET /dhis2/dataValueSets) or pushed (POST /dhis2/push). */
export function indicatorExchangeRoutes(app: FastifyInstance, config: Config): void {
  dataValueSetRoutes(app, config);
  pushRoutes(app, config);
}
