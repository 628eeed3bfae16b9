/**
 * The raw ceiling: a bare fastify app doing one query per request through pg, nothing else (no
 * auth, no validation, no mapping). What Kinga achieves is reported as a share of what this does.
 * Run as a child process by run-bench.ts: DATABASE_URL, PORT.
 */
import fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
await pool.query(`create table if not exists bench_ceiling (like fhir_resource including all)`);
await pool.query(`truncate bench_ceiling`);

const app = fastify({ logger: false });
app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_request, body, done) => {
  try {
    done(null, JSON.parse(body as string));
  } catch (error) {
    done(error as Error, undefined);
  }
});

app.get('/ready', async () => ({ status: 'ok' }));

app.get<{ Params: { id: string } }>('/ceiling/:id', async (request, reply) => {
  const { rows } = await pool.query<{ content: string }>(
    `select content from fhir_resource where resource_type = 'Patient' and id = $1`,
    [request.params.id],
  );
  if (rows.length === 0) {
    return reply.code(404).send();
  }
  return reply.type('application/fhir+json').send(rows[0]!.content);
});

// The insert ceiling: one row like a published Patient, into a table shaped like fhir_resource.
app.post<{ Body: { id: string } }>('/ceiling', async (request, reply) => {
  await pool.query(
    `insert into bench_ceiling (resource_type, id, version_id, last_updated, deleted, content)
     values ('Patient', $1, 1, now(), false, $2)`,
    [request.body.id, JSON.stringify(request.body)],
  );
  return reply.code(201).type('application/fhir+json').send(JSON.stringify(request.body));
});

await app.listen({ host: '127.0.0.1', port: Number(process.env['PORT']) });
process.on('SIGTERM', () => {
  void app.close().then(() => pool.end());
});
