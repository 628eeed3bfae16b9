import { Migration } from '@mikro-orm/migrations';

export class Migration20261123202343_DeferredCyclicReferences extends Migration {
  override name = 'Migration20261123202343_DeferredCyclicReferences';

  override up(): void | Promise<void> {
    this.addSql(`alter table "location" drop constraint "location_parent_id_foreign";`);

    this.addSql(`alter table "organisation" drop constraint "organisation_parent_id_foreign";`);

    this.addSql(`alter table "insuree" drop constraint "insuree_family_id_foreign";`);

    this.addSql(`alter table "family" drop constraint "family_head_id_foreign";`);

    this.addSql(
      `alter table "location" add constraint "location_parent_id_foreign" foreign key ("parent_id") references "location" ("id") on delete set null deferrable initially deferred;`,
    );

    this.addSql(
      `alter table "organisation" add constraint "organisation_parent_id_foreign" foreign key ("parent_id") references "organisation" ("id") on delete set null deferrable initially deferred;`,
    );

    this.addSql(
      `alter table "insuree" add constraint "insuree_family_id_foreign" foreign key ("family_id") references "family" ("id") on delete set null deferrable initially deferred;`,
    );

    this.addSql(
      `alter table "family" add constraint "family_head_id_foreign" foreign key ("head_id") references "insuree" ("id") on delete set null deferrable initially deferred;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "family" drop constraint "family_head_id_foreign";`);

    this.addSql(`alter table "insuree" drop constraint "insuree_family_id_foreign";`);

    this.addSql(`alter table "location" drop constraint "location_parent_id_foreign";`);

    this.addSql(`alter table "organisation" drop constraint "organisation_parent_id_foreign";`);

    this.addSql(
      `alter table "family" add constraint "family_head_id_foreign" foreign key ("head_id") references "insuree" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "insuree" add constraint "insuree_family_id_foreign" foreign key ("family_id") references "family" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "location" add constraint "location_parent_id_foreign" foreign key ("parent_id") references "location" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "organisation" add constraint "organisation_parent_id_foreign" foreign key ("parent_id") references "organisation" ("id") on delete set null;`,
    );
  }
}
