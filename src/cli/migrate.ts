import { loadConfig } from '../platform/config/config.ts';
import { migrateUp, openOrm } from '../platform/database/orm.ts';
import { withDatabaseUrl } from './database-url.ts';

/** Applies pending migrations (npm run db:migrate); the server also does this on start. */
const config = loadConfig();
await withDatabaseUrl(config, async (url) => {
  const orm = await openOrm({ url, poolSize: 2 });
  try {
    const applied = await migrateUp(orm);
    console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Up to date');
  } finally {
    await orm.close();
  }
});
