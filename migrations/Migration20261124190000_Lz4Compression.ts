import { Migration } from '@mikro-orm/migrations';

/**
 * Large values (a published resource's JSON, an enquiry's assessment) are compressed with LZ4
 * where the server was built with it (PostgreSQL ≥ 14, --with-lz4, as Debian's and the official
 * images are). PostgreSQL's default, pglz, spent 13 % of the database's time on the eligibility
 * path (perf, 1 M-insuree bench): each answer's published response (~8 kB) is compressed twice,
 * current and version. LZ4 compresses about as well (1 225 against 1 199 bytes for such a
 * response) several times faster. It applies to values written from now on; old ones stay
 * readable as they are. A server without LZ4 (the embedded PostgreSQL binaries) keeps pglz.
 */
const everyTextColumn = `
  select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
   where c.table_schema = current_schema() and c.data_type in ('text', 'json', 'jsonb')`;

function compressEveryTextColumn(method: 'lz4' | 'default'): string {
  return `
    do $$
    declare col record;
    begin
      if not exists (select 1 from pg_settings
                      where name = 'default_toast_compression' and 'lz4' = any(enumvals)) then
        return;
      end if;
      for col in ${everyTextColumn} loop
        execute format('alter table %I alter column %I set compression ${method}', col.table_name, col.column_name);
      end loop;
    end $$;`;
}

export class Migration20261124190000_Lz4Compression extends Migration {
  override name = 'Migration20261124190000_Lz4Compression';

  override up(): void {
    this.addSql(compressEveryTextColumn('lz4'));
  }

  override down(): void {
    this.addSql(compressEveryTextColumn('default'));
  }
}
