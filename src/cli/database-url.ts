import type { Config } from '../platform/config/config.ts';
import { startEmbeddedPostgres } from '../platform/database/embedded-postgres.ts';

/** Runs `work` against DATABASE_URL, or against the embedded PostgreSQL the server would use. */
export async function withDatabaseUrl(config: Config, work: (url: string) => Promise<void>): Promise<void> {
  if (config.DATABASE_URL) {
    return work(config.DATABASE_URL);
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.EMBEDDED_PG_DIR,
    port: config.EMBEDDED_PG_PORT,
    persistent: true,
  });
  try {
    await work(embedded.url);
  } finally {
    await embedded.stop();
  }
}
