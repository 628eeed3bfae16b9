import { loadConfig } from '../platform/config/config.ts';
import { openOrm } from '../platform/database/orm.ts';
import { withDatabaseUrl } from './database-url.ts';

/** Writes a migration for the difference between the entities and the last snapshot. */
const config = loadConfig();
await withDatabaseUrl(config, async (url) => {
  const orm = await openOrm({ url, poolSize: 2 });
  try {
    const name = process.argv[2];
    const result = await orm.migrator.create(undefined, false, false, name);
    console.log(result.fileName ? `Created ${result.fileName}` : 'No changes');
  } finally {
    await orm.close();
  }
});
