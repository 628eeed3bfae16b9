import { decodeJwt } from 'jose';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { buildTestApp } from '../helpers/test-app.ts';
import {
  assertion,
  assertionForm,
  assertOAuthError,
  basicAuth,
  keyPair,
  registerFacility,
  requestToken,
} from './auth-fixtures.ts';

const kinga = await buildTestApp(t);
const CLI = path.resolve(import.meta.dirname, '../../src/cli/kinga.ts');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cli -- …` as a separate process against the run's database. */
function cli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: {
          ...process.env,
          DATABASE_URL: process.env['KINGA_TEST_DATABASE_URL'],
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function printed(output: string, label: string): string | undefined {
  return new RegExp(`^${label}: (\\S+)$`, 'm').exec(output)?.[1];
}

t.test('clients create prints a client id and a one-time secret that obtain a token', async (t) => {
  const created = await cli(
    'clients',
    'create',
    '--name',
    'Facility EMR',
    '--scopes',
    'system/Patient.rs system/Claim.crs',
  );
  t.equal(created.code, 0, created.stderr);
  const clientId = printed(created.stdout, 'client_id');
  const secret = printed(created.stdout, 'client_secret');
  t.ok(clientId && secret, 'both are printed');

  const res = await requestToken(
    kinga,
    { grant_type: 'client_credentials', scope: 'system/*.rs' },
    {
      authorization: basicAuth(clientId!, secret!),
    },
  );
  t.equal(res.status, 200);
  t.equal(res.body.scope, 'system/Patient.rs system/Claim.rs');

  const listed = await cli('clients', 'list');
  t.equal(listed.code, 0);
  const line = listed.stdout.split('\n').find((l) => l.startsWith(clientId!));
  t.match(line, /enabled\tclient_secret_basic\tFacility EMR\tsystem\/Patient\.rs system\/Claim\.crs/);
  t.notOk(listed.stdout.includes(secret!), 'list never shows a secret');

  const disabled = await cli('clients', 'disable', clientId!);
  t.equal(disabled.code, 0);
  const refused = await requestToken(
    kinga,
    { grant_type: 'client_credentials', scope: 'system/*.rs' },
    {
      authorization: basicAuth(clientId!, secret!),
    },
  );
  assertOAuthError(t, refused, 401, 'invalid_client');
  t.match((await cli('clients', 'list')).stdout, new RegExp(`${clientId}\\tDISABLED`));
});

t.test(
  'clients create --jwks-file registers keys and prints no secret; --facility binds the client',
  async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kinga-cli-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const key = await keyPair('ES384');
    const file = path.join(dir, 'jwks.json');
    await writeFile(file, JSON.stringify({ keys: [key.publicJwk] }));
    const facilityId = await registerFacility(kinga);

    const created = await cli(
      'clients',
      'create',
      '--name',
      'Keyed EMR',
      '--scopes',
      'system/Patient.rs',
      '--jwks-file',
      file,
      '--facility',
      facilityId,
    );
    t.equal(created.code, 0, created.stderr);
    const clientId = printed(created.stdout, 'client_id')!;
    t.notOk(printed(created.stdout, 'client_secret'), 'no secret for a key client');

    const client = {
      clientId,
      kid: key.kid,
      alg: 'ES384' as const,
      privateKey: key.privateKey,
      publicJwk: key.publicJwk,
    };
    const res = await requestToken(kinga, assertionForm(await assertion(kinga, client), 'system/Patient.rs'));
    t.equal(res.status, 200);
    t.equal(decodeJwt(res.body.access_token)['facility'], facilityId);
  },
);

t.test('clients create --jwks-url keeps the URL', async (t) => {
  const created = await cli(
    'clients',
    'create',
    '--name',
    'DHIS2',
    '--scopes',
    'system/*.rs',
    '--jwks-url',
    'https://dhis2.example/jwks.json',
  );
  t.equal(created.code, 0, created.stderr);
  const clientId = printed(created.stdout, 'client_id')!;
  const client = await kinga.app.kinga.auth.clients.find(clientId);
  t.equal(client?.jwksUrl, 'https://dhis2.example/jwks.json');
  t.equal(client?.secretHash, null);
});

t.test('the CLI refuses bad input with a message and a non-zero exit', async (t) => {
  const badScope = await cli('clients', 'create', '--name', 'Bad', '--scopes', 'system/Patient.dus');
  t.equal(badScope.code, 1);
  t.match(badScope.stderr, /not SMART system scopes: system\/Patient\.dus/);
  const noName = await cli('clients', 'create', '--scopes', 'system/*.rs');
  t.equal(noName.code, 2);
  t.match(noName.stderr, /Usage/);
  const unknownOption = await cli(
    'clients',
    'create',
    '--name',
    'X',
    '--scopes',
    'system/*.rs',
    '--secret',
    'x',
  );
  t.equal(unknownOption.code, 2);
  const unknownClient = await cli('clients', 'disable', 'no-such-client');
  t.equal(unknownClient.code, 1);
  t.match(unknownClient.stderr, /No client no-such-client/);
  const unknownCommand = await cli('frobnicate');
  t.equal(unknownCommand.code, 2);
});

t.test('keys list shows the signing keys', async (t) => {
  const listed = await cli('keys', 'list');
  t.equal(listed.code, 0, listed.stderr);
  t.match(
    listed.stdout,
    new RegExp(`^${kinga.app.kinga.auth.tokens.signingKey.kid}\\tES256\\tSIGNING_KEY\\t`, 'm'),
  );
});

t.test('keys generate prints a private JWK the configuration accepts as SIGNING_KEY', async (t) => {
  const result = await cli('keys', 'generate');
  t.equal(result.code, 0, result.stderr);
  const jwk = JSON.parse(result.stdout);
  t.equal(jwk.kty, 'EC');
  t.equal(jwk.alg, 'ES256');
  t.type(jwk.d, 'string');
  const { loadConfig } = await import('../../src/platform/config/config.ts');
  t.doesNotThrow(() => loadConfig({ NODE_ENV: 'production', SIGNING_KEY: result.stdout.trim() }));
});
