import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';

const healthSchema = (summary: string) => ({
  tags: ['Health'],
  summary,
  response: {
    200: { type: 'object', properties: { status: { type: 'string' } } },
    503: { type: 'object', properties: { status: { type: 'string' } } },
  },
});

/** Liveness (the process answers) and readiness (the database answers), for orchestrators. */
export async function healthRoutes(app: FastifyInstance, options: { pool: Pool }): Promise<void> {
  app.get('/health/live', { schema: healthSchema('The process is up') }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { schema: healthSchema('The database answers') }, async (request, reply) => {
    try {
      await options.pool.query('select 1');
      return { status: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
}
