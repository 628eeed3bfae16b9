import t from 'tap';
import { searchParamsOf } from '../../src/fhir/search/search.ts';
import { buildTestApp, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const READS = ['history-instance', 'read', 'search-type', 'vread'];
/** Types whose writes are limited; every other type serves create, update and delete. */
const WRITES: Record<string, string[]> = {
  Coverage: [],
  ValueSet: [],
  CodeSystem: ['create', 'update'],
  Contract: ['create', 'update'],
  PaymentNotice: ['create', 'update'],
  PaymentReconciliation: [],
  CoverageEligibilityRequest: ['create'],
  CoverageEligibilityResponse: [],
  Claim: ['create'],
  ClaimResponse: [],
  Measure: [],
};

t.test('GET /metadata is public and derived from what is registered', async (t) => {
  const res = await kinga.fhir({ method: 'GET', url: '/fhir/R4/metadata', anonymous: true });
  t.equal(res.status, 200);
  t.match(res.headers['content-type'], /application\/fhir\+json/);
  const statement = validFhir(t, res);
  t.equal(statement.fhirVersion, '4.0.1');
  const resources = statement.rest[0].resource;
  t.same(
    resources.map((r: any) => r.type),
    kinga.database.registry.types,
    'exactly the registered types',
  );
  for (const module of kinga.database.registry.modules) {
    const entry = resources.find((r: any) => r.type === module.type);
    t.equal(entry.profile, module.profile, `${module.type} names its profile`);
    t.same(
      entry.searchParam.map((p: any) => `${p.name}:${p.type}`),
      searchParamsOf(module).map((p) => `${p.code}:${p.type}`),
      `${module.type} lists its declared search parameters with types`,
    );
    t.same(
      entry.interaction.map((i: any) => i.code).sort(),
      [...READS, ...(WRITES[module.type] ?? ['create', 'delete', 'update'])].sort(),
      `${module.type} lists the interactions it serves`,
    );
  }
  t.same(
    statement.rest[0].interaction.map((i: any) => i.code),
    ['transaction', 'batch'],
  );
});

t.test('SMART configuration is public and points at the token endpoint', async (t) => {
  const res = await kinga.app.inject({ method: 'GET', url: '/fhir/R4/.well-known/smart-configuration' });
  t.equal(res.statusCode, 200);
  const config = JSON.parse(res.body);
  t.equal(config.token_endpoint, 'http://kinga.test/auth/token');
  t.ok(config.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
});

t.test('everything else under /fhir/R4 needs a token', async (t) => {
  const res = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Patient', anonymous: true });
  t.equal(res.status, 401);
  t.match(res.headers['www-authenticate'], /Bearer/);
  validFhir(t, res);
});

t.test('a write a type does not serve is 405, naming the interaction and what to do instead', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Coverage',
    body: { resourceType: 'Coverage' },
  });
  t.equal(res.status, 405);
  const [issue] = validFhir(t, res).issue;
  t.equal(issue.code, 'not-supported');
  t.equal(issue.details.coding[0].code, 'fhir.interaction-not-supported');
  t.match(issue.diagnostics, /^The create interaction is not supported for Coverage: Coverage is derived/);
  const patch = await kinga.fhir({ method: 'PATCH', url: '/fhir/R4/Patient/x', body: {} });
  t.equal(patch.status, 405);
  t.equal(validFhir(t, patch).issue[0].details.coding[0].code, 'request.method-not-allowed');
});
