import { Migration } from '@mikro-orm/migrations';

export class Migration20261124013953_Dhis2OrgUnits extends Migration {
  override name = 'Migration20261124013953_Dhis2OrgUnits';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "indicator_denominator" ("org_unit_id" uuid not null, "data_element" varchar(50) not null, "period" varchar(20) not null, "org_unit_kind" text not null, "start_date" date not null, "end_date" date not null, "value" numeric(20,4) not null, "updated_at" timestamptz not null, primary key ("org_unit_id", "data_element", "period"));`,
    );
    this.addSql(
      `create index "indicator_denominator_data_element_start_date_index" on "indicator_denominator" ("data_element", "start_date");`,
    );

    this.addSql(
      `alter table "location" add "dhis2_uid" varchar(11) null, add "dhis2_code" varchar(50) null;`,
    );
    this.addSql(
      `create unique index "location_dhis2_uid_live_unique" on "location" ("dhis2_uid") where "deleted_at" is null;`,
    );
    this.addSql(
      `create unique index "location_dhis2_code_live_unique" on "location" ("dhis2_code") where "deleted_at" is null;`,
    );

    this.addSql(
      `alter table "organisation" add "dhis2_uid" varchar(11) null, add "dhis2_code" varchar(50) null;`,
    );
    this.addSql(
      `create unique index "organisation_dhis2_uid_live_unique" on "organisation" ("dhis2_uid") where "deleted_at" is null;`,
    );
    this.addSql(
      `create unique index "organisation_dhis2_code_live_unique" on "organisation" ("dhis2_code") where "deleted_at" is null;`,
    );

    this.addSql(
      `alter table "indicator_denominator" add constraint "indicator_denominator_org_unit_kind_check" check ("org_unit_kind" in ('location', 'facility'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "indicator_denominator" cascade;`);

    this.addSql(`drop index "location_dhis2_uid_live_unique";`);
    this.addSql(`drop index "location_dhis2_code_live_unique";`);
    this.addSql(`alter table "location" drop column "dhis2_uid", drop column "dhis2_code";`);

    this.addSql(`drop index "organisation_dhis2_uid_live_unique";`);
    this.addSql(`drop index "organisation_dhis2_code_live_unique";`);
    this.addSql(`alter table "organisation" drop column "dhis2_uid", drop column "dhis2_code";`);
  }
}
