import { KingaError } from '../domain/shared/errors.ts';
import { ConfigError, loadConfig } from '../platform/config/config.ts';
import { migrateUp, openOrm } from '../platform/database/orm.ts';
import { clientsCommand } from './clients-command.ts';
import { withDatabaseUrl } from './database-url.ts';
import { generateSigningJwk } from '../platform/auth/signing-keys.ts';
import { signingKeysCommand } from './signing-keys-command.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage: npm run cli -- <command>

  clients create --name <name> --scopes "<scope> ..." [--jwks-file <path> | --jwks-url <https url>] [--facility <Organization id>]
      Registers a client. Without keys it gets a generated secret (client_secret_basic), printed once.
  clients list
  clients disable <client_id>
  keys generate
      Prints a new private signing key (a JWK) for SIGNING_KEY. Needs no database.
  keys list
  keys retire <kid>

Runs against DATABASE_URL, or the embedded PostgreSQL when it is unset.`;

/** `npm run cli`: administration of the API clients and signing keys. */
async function main(args: string[]): Promise<void> {
  const [group, ...rest] = args;
  if (group !== 'clients' && group !== 'keys') {
    throw new UsageError(group ? `unknown command ${group}` : '');
  }
  if (group === 'keys' && rest[0] === 'generate') {
    console.log(JSON.stringify(await generateSigningJwk()));
    return;
  }
  const config = loadConfig();
  await withDatabaseUrl(config, async (url) => {
    const orm = await openOrm({ url, poolSize: 2 });
    try {
      await migrateUp(orm);
      await (group === 'clients' ? clientsCommand(orm, rest) : signingKeysCommand(orm, rest));
    } finally {
      await orm.close();
    }
  });
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    if (error instanceof Error && error.message) {
      console.error(error.message);
    }
    console.error(USAGE);
    process.exitCode = 2;
  } else if (error instanceof KingaError || error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
