import { MikroORM, type EventSubscriber, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import type { Pool } from 'pg';
import { ormClientUrl } from './database-url.ts';
import { entities } from './entities.ts';

export const migrationsPath = path.resolve(import.meta.dirname, '../../../migrations');

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  subscribers?: EventSubscriber[];
  debug?: boolean;
}

export function ormOptions(options: DatabaseOptions): Options {
  return {
    entities,
    clientUrl: ormClientUrl(options.url),
    pool: { min: 0, max: options.poolSize },
    extensions: [Migrator],
    subscribers: options.subscribers ?? [],
    debug: options.debug ?? false,
    // Flushes happen inside explicit transactions (see unit-of-work.ts); nothing relies on implicit ones.
    allowGlobalContext: false,
    migrations: {
      path: migrationsPath,
      glob: '!(*.d).ts',
      emit: 'ts',
      snapshot: true,
      // The snapshot is for generating migrations; the server must not write into the repository.
      snapshotOnMigrate: false,
      snapshotName: '.snapshot-kinga',
      transactional: true,
      silent: true,
    },
  };
}

export async function openOrm(options: DatabaseOptions): Promise<MikroORM> {
  return MikroORM.init(ormOptions(options)) as Promise<MikroORM>;
}

/** The pg pool MikroORM runs on: hot read paths query it directly with bound parameters. */
export async function nativePool(orm: MikroORM): Promise<Pool> {
  return await orm.em.getConnection().getNativeClient();
}

export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}
