import { readFile } from 'node:fs/promises';
import t from 'tap';
import { configTable, envExample } from '../../src/cli/describe-config.ts';
import { ConfigError, loadConfig } from '../../src/platform/config/config.ts';

t.test('the README table and .env.example list every setting as the schema declares it', async (t) => {
  const readme = await readFile('README.md', 'utf8');
  const table = /<!-- config:start -->\n([\s\S]*?)\n<!-- config:end -->/.exec(readme)?.[1];
  t.equal(table, configTable(), 'README configuration table is current (node src/cli/describe-config.ts)');
  t.equal(
    await readFile('.env.example', 'utf8'),
    `${envExample()}\n`,
    '.env.example is current (node src/cli/describe-config.ts env)',
  );
});

t.test('an invalid configuration lists every problem at once', async (t) => {
  try {
    loadConfig({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      KINGA_BOOTSTRAP_CLIENT_ID: 'admin',
      LOG_LEVEL: 'loud',
    });
    t.fail('should have thrown');
  } catch (error) {
    t.ok(error instanceof ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    t.match(problems, /PORT/);
    t.match(problems, /DATABASE_URL/);
    t.match(problems, /LOG_LEVEL/);
    t.match(problems, /KINGA_BOOTSTRAP_CLIENT_SECRET/);
  }
});

t.test('production refuses to start without a signing key', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), /SIGNING_KEY/);
});
