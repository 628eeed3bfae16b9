import { readFile } from 'node:fs/promises';
import t from 'tap';
import { OPENAPI_FILE, renderOpenApi } from '../../src/cli/generate-openapi.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
await kinga.app.ready();

t.test('the committed openapi/openapi.json is what the routes describe', async (t) => {
  const committed = await readFile(OPENAPI_FILE, 'utf8');
  const current = renderOpenApi(kinga.app.swagger());
  t.ok(
    committed === current,
    'openapi/openapi.json is up to date (run `npm run openapi:generate` after changing routes)',
  );
  const document = JSON.parse(current);
  t.equal(document.openapi, '3.1.0');
  for (const path of [
    '/fhir/R4/Patient',
    '/fhir/R4/Patient/{id}',
    '/fhir/R4/metadata',
    '/auth/token',
    '/health/ready',
  ]) {
    t.ok(document.paths[path], `documents ${path}`);
  }
});

t.test('/docs serves the API documentation', async (t) => {
  const page = await kinga.app.inject({ method: 'GET', url: '/docs/' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
  const json = await kinga.app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(json.statusCode, 200);
  t.equal(JSON.parse(json.body).info.title, 'Kinga API');
});
