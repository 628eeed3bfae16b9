import { Migration } from '@mikro-orm/migrations';

export class Migration20261124022059_PremiumCounterpartIndex extends Migration {
  override name = 'Migration20261124022059_PremiumCounterpartIndex';

  override up(): void | Promise<void> {
    this.addSql(`create index "premium_counterpart_id_index" on "premium" ("counterpart_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "premium_counterpart_id_index";`);
  }
}
