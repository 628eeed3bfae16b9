import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Test } from 'tap';
import { buildApp, openDatabase, type KingaDatabase } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/platform/config/config.ts';
import { assertValidFhir } from './fhir-validator.ts';
export { freePort } from './free-port.ts';

/** A fixed test signing key (P-256), so tokens minted in one test file verify in the app it builds. */
export const TEST_SIGNING_KEY = JSON.stringify({
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
  alg: 'ES256',
});

export function testConfig(overrides: Record<string, string> = {}): Config {
  const url = process.env['KINGA_TEST_DATABASE_URL'];
  if (!url) {
    throw new Error('Run the tests with `npm test`: it creates the test database (KINGA_TEST_DATABASE_URL)');
  }
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    LOG_LEVEL: process.env['KINGA_TEST_LOG_LEVEL'] ?? 'silent',
    PUBLIC_BASE_URL: 'http://kinga.test',
    SIGNING_KEY: TEST_SIGNING_KEY,
    DB_POOL_SIZE: '10',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  database: KingaDatabase;
  /** A bearer token for `scopes` (default: everything), signed like the token endpoint signs. */
  token(scopes?: string, clientId?: string): Promise<string>;
  /** inject() with a token and FHIR JSON; the parsed body is returned alongside the response. */
  fhir(options: FhirRequestOptions): Promise<FhirResponse>;
}

export interface FhirRequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  scopes?: string;
  /** Skip the Authorization header. */
  anonymous?: boolean;
}

export interface FhirResponse {
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: any;
  raw: LightMyRequestResponse;
}

/** Builds the real app on the run's database; closed when the test ends. */
export async function buildTestApp(
  t: Test,
  overrides: Record<string, string> = {},
  options: { logStream?: DestinationStream } = {},
): Promise<TestApp> {
  const config = testConfig(overrides);
  const database = await openDatabase(config, config.DATABASE_URL!);
  const app = await buildApp(config, database, options);
  t.teardown(async () => {
    await app.close();
    await database.orm.close();
  });
  const tokens = new Map<string, string>();
  const token = async (scopes = 'system/*.cruds', clientId = 'test-client'): Promise<string> => {
    const key = `${clientId} ${scopes}`;
    let value = tokens.get(key);
    if (!value) {
      value = (await app.kinga.auth.tokens.issue({ clientId, scope: scopes })).access_token;
      tokens.set(key, value);
    }
    return value;
  };
  const fhir = async (options: FhirRequestOptions): Promise<FhirResponse> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (!options.anonymous) {
      headers['authorization'] ??= `Bearer ${await token(options.scopes)}`;
    }
    if (options.body !== undefined && typeof options.body !== 'string') {
      headers['content-type'] ??= 'application/fhir+json';
    }
    const response = await app.inject({
      method: options.method,
      url: options.url,
      headers,
      ...(options.body === undefined
        ? {}
        : { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    });
    let body: unknown;
    try {
      body = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      body = response.body;
    }
    return { status: response.statusCode, headers: response.headers, body, raw: response };
  };
  return { app, config, database, token, fhir };
}

/** Asserts a FHIR response body is valid R4 (independent validator) and returns it. */
export function validFhir<T = any>(t: Test, response: FhirResponse, label?: string): T {
  assertValidFhir(t, response.body, label ?? 'response body');
  return response.body as T;
}

let counter = 0;
/** A unique string per call and process, so test files can share one database. */
export function unique(prefix = ''): string {
  counter += 1;
  return `${prefix}${process.pid.toString(36)}${Date.now().toString(36)}${counter.toString(36)}`.toUpperCase();
}
