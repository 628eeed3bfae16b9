import { Migration } from '@mikro-orm/migrations';

export class Migration20261124193227_SchemeInsurerIndex extends Migration {
  override name = 'Migration20261124193227_SchemeInsurerIndex';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "organisation_insurer_index" on "organisation" ("created_at") where "kind" = 'insurer' and "deleted_at" is null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "organisation_insurer_index";`);
  }
}
