import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApp, openDatabase } from '../app.ts';
import { loadConfig } from '../platform/config/config.ts';
import { migrateUp } from '../platform/database/orm.ts';
import { withDatabaseUrl } from './database-url.ts';

export const OPENAPI_FILE = path.resolve(import.meta.dirname, '../../openapi/openapi.json');

/** Renders the OpenAPI document of every registered route (what /docs serves). */
export function renderOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** `npm run openapi:generate`: rewrites openapi/openapi.json from the routes (a test fails when it drifts). */
if (import.meta.main) {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  await withDatabaseUrl(config, async (url) => {
    const database = await openDatabase(config, url);
    try {
      await migrateUp(database.orm);
      const app = await buildApp(config, database);
      await app.ready();
      await writeFile(OPENAPI_FILE, renderOpenApi(app.swagger()));
      await app.close();
      console.log(`Wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
    } finally {
      await database.orm.close();
    }
  });
}
