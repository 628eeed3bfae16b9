import t from 'tap';
import { buildTestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
await kinga.app.ready();

t.test('the OpenAPI document describes the token endpoint and the JWKS', async (t) => {
  const document = kinga.app.swagger() as any;
  const token = document.paths['/auth/token'].post;
  t.same(token.tags, ['Auth']);
  t.match(token.summary, /client_credentials/);
  const form = token.requestBody.content['application/x-www-form-urlencoded'].schema;
  t.same(Object.keys(form.properties).sort(), [
    'client_assertion',
    'client_assertion_type',
    'client_id',
    'grant_type',
    'scope',
  ]);
  t.same(Object.keys(token.responses).sort(), ['200', '400', '401']);
  t.same(Object.keys(token.responses['200'].content['application/json'].schema.properties).sort(), [
    'access_token',
    'expires_in',
    'scope',
    'token_type',
  ]);

  const jwks = document.paths['/.well-known/jwks.json'].get;
  t.same(jwks.tags, ['Auth']);
  t.ok(jwks.responses['200'].description);
});
