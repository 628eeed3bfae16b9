import { Migration } from '@mikro-orm/migrations';

export class Migration20261123224717_EligibilityAndUsage extends Migration {
  override name = 'Migration20261123224717_EligibilityAndUsage';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "eligibility_enquiry" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "insuree_id" uuid null, "patient_given" varchar(300) not null, "request_created" varchar(40) not null, "requested_at" timestamptz not null, "serviced_date" date not null, "purposes" jsonb not null, "facility_id" uuid null, "requested" jsonb not null, "client_identifiers" jsonb not null, "assessment" jsonb not null, "asked_by" varchar(100) null, primary key ("id"));`,
    );
    this.addSql(
      `create index "eligibility_enquiry_insuree_id_index" on "eligibility_enquiry" ("insuree_id");`,
    );
    this.addSql(
      `create index "eligibility_enquiry_requested_at_index" on "eligibility_enquiry" ("requested_at");`,
    );
    this.addSql(
      `create index "eligibility_enquiry_created_at_index" on "eligibility_enquiry" ("created_at");`,
    );

    this.addSql(
      `create table "usage_entry" ("id" uuid not null, "insuree_id" uuid not null, "policy_id" uuid not null, "kind" text not null, "date" date not null, "item_id" uuid null, "service_id" uuid null, "category" text null, "care_setting" text null, "quantity" int not null default 0, "amount" numeric(18,2) not null default '0.00', "deductible" numeric(18,2) not null default '0.00', "claim_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "usage_entry_policy_id_index" on "usage_entry" ("policy_id");`);
    this.addSql(
      `create index "usage_entry_insuree_policy_index" on "usage_entry" ("insuree_id", "policy_id");`,
    );

    this.addSql(
      `alter table "eligibility_enquiry" add constraint "eligibility_enquiry_insuree_id_foreign" foreign key ("insuree_id") references "insuree" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "eligibility_enquiry" add constraint "eligibility_enquiry_facility_id_foreign" foreign key ("facility_id") references "organisation" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "usage_entry" add constraint "usage_entry_insuree_id_foreign" foreign key ("insuree_id") references "insuree" ("id");`,
    );
    this.addSql(
      `alter table "usage_entry" add constraint "usage_entry_policy_id_foreign" foreign key ("policy_id") references "policy" ("id");`,
    );
    this.addSql(
      `alter table "usage_entry" add constraint "usage_entry_item_id_foreign" foreign key ("item_id") references "medical_item" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "usage_entry" add constraint "usage_entry_service_id_foreign" foreign key ("service_id") references "medical_service" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "usage_entry" add constraint "usage_entry_kind_check" check ("kind" in ('treatment', 'item', 'service'));`,
    );
    this.addSql(
      `alter table "usage_entry" add constraint "usage_entry_category_check" check ("category" in ('S', 'D', 'A', 'H', 'C', 'O', 'V'));`,
    );
    this.addSql(
      `alter table "usage_entry" add constraint "usage_entry_care_setting_check" check ("care_setting" in ('I', 'O'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "eligibility_enquiry" cascade;`);
    this.addSql(`drop table if exists "usage_entry" cascade;`);
  }
}
