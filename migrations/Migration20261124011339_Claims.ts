import { Migration } from '@mikro-orm/migrations';

export class Migration20261124011339_Claims extends Migration {
  override name = 'Migration20261124011339_Claims';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "claim" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "code" varchar(50) not null, "facility_id" uuid not null, "insuree_id" uuid not null, "admin_id" uuid null, "visit_type" text not null, "date_from" date not null, "date_to" date null, "date_claimed" date not null, "main_diagnosis_id" uuid not null, "other_diagnoses" jsonb not null, "status" text not null, "category" text null, "care_setting" text not null, "rejection_reason" int null, "claimed" numeric(18,2) not null, "approved" numeric(18,2) not null default '0.00', "deductible" numeric(18,2) not null default '0.00', "copay" numeric(18,2) not null default '0.00', "benefit" numeric(18,2) not null default '0.00', "remunerated" numeric(18,2) null, "explanation" text null, "guarantee" varchar(100) null, "client_identifiers" jsonb not null, "fingerprint" varchar(64) not null, "submitted_by" varchar(100) null, "review_status" text not null default 'idle', "review_reasons" jsonb not null, "review_justification" text null, "reviewed_by" varchar(100) null, "valuated_at" timestamptz null, "batch_run" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "claim_insuree_id_index" on "claim" ("insuree_id");`);
    this.addSql(
      `create unique index "claim_facility_code_unique" on "claim" ("facility_id", "code") where "deleted_at" is null;`,
    );
    this.addSql(
      `create index "claim_facility_id_created_at_index" on "claim" ("facility_id", "created_at");`,
    );
    this.addSql(`create index "claim_status_date_from_index" on "claim" ("status", "date_from");`);

    this.addSql(
      `create table "claim_line" ("id" uuid not null, "claim_id" uuid not null, "sequence" int not null, "kind" text not null, "item_id" uuid null, "service_id" uuid null, "code" varchar(50) not null, "quantity" int not null, "price_asked" numeric(18,2) not null, "explanation" text null, "status" text not null, "rejection_reason" int not null default 0, "quantity_approved" int null, "price_approved" numeric(18,2) null, "justification" text null, "policy_id" uuid null, "product_id" uuid null, "price_origin" text null, "limitation_type" text null, "limitation_value" numeric(18,2) null, "ceiling_excluded" boolean not null default false, "unit_price" numeric(18,2) null, "submitted" numeric(18,2) not null, "eligible" numeric(18,2) not null default '0.00', "deductible" numeric(18,2) not null default '0.00', "copay" numeric(18,2) not null default '0.00', "exceed_category" numeric(18,2) not null default '0.00', "exceed_ceiling" numeric(18,2) not null default '0.00', "benefit" numeric(18,2) not null default '0.00', "remunerated" numeric(18,2) null, primary key ("id"));`,
    );
    this.addSql(`create index "claim_line_claim_id_index" on "claim_line" ("claim_id");`);
    this.addSql(`create index "claim_line_service_id_index" on "claim_line" ("service_id");`);
    this.addSql(`create index "claim_line_item_id_index" on "claim_line" ("item_id");`);

    this.addSql(
      `alter table "claim" add constraint "claim_facility_id_foreign" foreign key ("facility_id") references "organisation" ("id");`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_insuree_id_foreign" foreign key ("insuree_id") references "insuree" ("id");`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_admin_id_foreign" foreign key ("admin_id") references "officer" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_main_diagnosis_id_foreign" foreign key ("main_diagnosis_id") references "diagnosis" ("id");`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_visit_type_check" check ("visit_type" in ('other', 'referral', 'emergency'));`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_status_check" check ("status" in ('rejected', 'entered', 'checked', 'processed', 'valuated'));`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_category_check" check ("category" in ('S', 'D', 'A', 'H', 'C', 'O', 'V'));`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_care_setting_check" check ("care_setting" in ('I', 'O'));`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_review_status_check" check ("review_status" in ('idle', 'not-selected', 'selected', 'delivered', 'bypassed'));`,
    );

    this.addSql(
      `alter table "claim_line" add constraint "claim_line_claim_id_foreign" foreign key ("claim_id") references "claim" ("id");`,
    );
    this.addSql(
      `alter table "claim_line" add constraint "claim_line_item_id_foreign" foreign key ("item_id") references "medical_item" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "claim_line" add constraint "claim_line_service_id_foreign" foreign key ("service_id") references "medical_service" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "claim_line" add constraint "claim_line_policy_id_foreign" foreign key ("policy_id") references "policy" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "claim_line" add constraint "claim_line_kind_check" check ("kind" in ('item', 'service'));`,
    );
    this.addSql(
      `alter table "claim_line" add constraint "claim_line_status_check" check ("status" in ('passed', 'rejected'));`,
    );
    this.addSql(
      `alter table "claim_line" add constraint "claim_line_price_origin_check" check ("price_origin" in ('P', 'O', 'R'));`,
    );
    this.addSql(
      `alter table "claim_line" add constraint "claim_line_limitation_type_check" check ("limitation_type" in ('C', 'F'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "claim_line" drop constraint "claim_line_claim_id_foreign";`);

    this.addSql(`drop table if exists "claim" cascade;`);
    this.addSql(`drop table if exists "claim_line" cascade;`);
  }
}
