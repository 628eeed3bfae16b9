import { Migration } from '@mikro-orm/migrations';

export class Migration20261124215512_PassedServiceIndex extends Migration {
  override name = 'Migration20261124215512_PassedServiceIndex';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "claim_line_passed_service_index" on "claim_line" ("service_id", "id") where "status" = 'passed';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "claim_line_passed_service_index";`);
  }
}
