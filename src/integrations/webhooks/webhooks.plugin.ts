import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerAuthentication, requireScope } from '../../platform/auth/route-guards.ts';
import type { Permission } from '../../platform/auth/scopes.ts';
import type { Config } from '../../platform/config/config.ts';
import { emQueryable } from '../../platform/database/queryable.ts';
import { sql } from '../../platform/database/sql.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import { webhookRouteSchemas } from './webhooks.schema.ts';
import {
  createSubscriber,
  disableSubscriber,
  findSubscriber,
  viewOf,
  type NewSubscriber,
} from './webhook-subscribers.ts';
import { WebhookSubscriber } from './webhook-subscriber.entity.ts';

/**
 * Webhook subscribers are administered like the FHIR `Subscription` they correspond to: SMART
 * system scopes on that type (`system/Subscription.cruds`; `system/*.cruds` includes it).
 */
const SCOPE_TYPE = 'Subscription';

/**
 * /webhooks/subscribers: staff register the systems that receive outbound events. A bearer token
 * is required on every route, as on the FHIR routes.
 */
export async function webhooksPlugin(app: FastifyInstance, options: { config: Config }): Promise<void> {
  const { auth, database } = app.kinga;
  const allowPrivateHosts = options.config.WEBHOOK_ALLOW_PRIVATE_HOSTS;

  app.addHook('onRequest', bearerAuthentication(auth.authenticate));

  const permit = (request: FastifyRequest, permission: Permission, interaction: string) =>
    requireScope(request, SCOPE_TYPE, permission, interaction);
  const writeContext = (request: FastifyRequest) => ({
    actor: request.principal!.clientId,
    requestId: request.id,
  });

  app.post<{ Body: NewSubscriber }>(
    '/subscribers',
    { schema: webhookRouteSchemas.create },
    async (request, reply) => {
      permit(request, 'c', 'create');
      const subscriber = await inTransaction(database.orm.em.fork(), writeContext(request), async (tx) =>
        createSubscriber(tx, request.body, { createdBy: request.principal!.clientId, allowPrivateHosts }),
      );
      return reply
        .code(201)
        .header('Location', `/webhooks/subscribers/${subscriber.id}`)
        .send({ ...viewOf(subscriber), secret: subscriber.secret });
    },
  );

  app.get('/subscribers', { schema: webhookRouteSchemas.list }, async (request) => {
    permit(request, 's', 'search');
    const subscribers = await database.orm.em
      .fork()
      .find(WebhookSubscriber, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return { subscribers: subscribers.map(viewOf) };
  });

  app.get<{ Params: { id: string } }>(
    '/subscribers/:id',
    { schema: webhookRouteSchemas.read },
    async (request) => {
      permit(request, 'r', 'read');
      const subscriber = await findSubscriber(database.orm.em.fork(), request.params.id);
      const rows = await emQueryable(database.orm.em.fork()).query<{ status: string; count: number }>(sql`
        select status, count(*)::int as count from webhook_delivery
         where subscriber_id = ${subscriber.id} group by status`);
      const deliveries = { pending: 0, delivered: 0, failed: 0 };
      for (const row of rows) {
        deliveries[row.status as keyof typeof deliveries] = row.count;
      }
      return { ...viewOf(subscriber), deliveries };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/subscribers/:id',
    { schema: webhookRouteSchemas.remove },
    async (request) => {
      permit(request, 'd', 'delete');
      const clientId = request.principal!.clientId;
      return inTransaction(database.orm.em.fork(), writeContext(request), async (tx) => {
        const subscriber = await findSubscriber(tx, request.params.id);
        await disableSubscriber(emQueryable(tx), subscriber.id, `disabled by ${clientId}`);
        await tx.refresh(subscriber);
        return viewOf(subscriber);
      });
    },
  );
}
