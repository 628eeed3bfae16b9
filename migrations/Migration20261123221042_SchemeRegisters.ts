import { Migration } from '@mikro-orm/migrations';

export class Migration20261123221042_SchemeRegisters extends Migration {
  override name = 'Migration20261123221042_SchemeRegisters';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "diagnosis" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "code" varchar(20) not null, "name" varchar(300) not null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "diagnosis_code_live_unique" on "diagnosis" ("code") where "deleted_at" is null;`,
    );

    this.addSql(
      `create table "diagnosis_list" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "title" varchar(200) not null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "diagnosis_list_live_unique" on "diagnosis_list" ((true)) where "deleted_at" is null;`,
    );

    this.addSql(
      `create table "diagnosis_value_set" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, primary key ("id"));`,
    );

    this.addSql(
      `create table "health_card_issuer_key" ("kid" varchar(100) not null, "jwk" jsonb not null, "created_at" timestamptz not null, "retired_at" timestamptz null, primary key ("kid"));`,
    );

    this.addSql(
      `create table "medical_item" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "code" varchar(50) not null, "name" varchar(200) not null, "type" text not null, "package" varchar(100) null, "price" numeric(18,2) not null, "maximum_quantity" int null, "care_type" text not null default 'B', "frequency_days" int null, "patient_category" int not null default 15, "valid_from" date null, "valid_to" date null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "medical_item_code_live_unique" on "medical_item" ("code") where "deleted_at" is null;`,
    );

    this.addSql(
      `create table "medical_service" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "code" varchar(50) not null, "name" varchar(200) not null, "type" text not null, "level" text not null, "category" text not null default 'O', "price" numeric(18,2) not null, "maximum_quantity" int null, "care_type" text not null default 'B', "frequency_days" int null, "patient_category" int not null default 15, "package_type" text not null default 'S', "manual_price" boolean not null default false, "package_components" jsonb null, "valid_from" date null, "valid_to" date null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "medical_service_code_live_unique" on "medical_service" ("code") where "deleted_at" is null;`,
    );

    this.addSql(
      `create table "price_list" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "name" varchar(200) not null, "kind" text not null, "location_id" uuid null, "valid_from" date null, primary key ("id"));`,
    );

    this.addSql(
      `create table "officer" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "role" text not null, "code" varchar(50) not null, "last_name" varchar(100) not null, "other_names" varchar(100) not null, "birth_date" date null, "phone" varchar(50) null, "email" varchar(100) null, "location_id" uuid null, "substitute_id" uuid null, "works_to" date null, "facility_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "officer_facility_id_index" on "officer" ("facility_id");`);
    this.addSql(
      `create unique index "officer_code_live_unique" on "officer" ("code") where "deleted_at" is null;`,
    );

    this.addSql(
      `create table "officer_village" ("officer_id" uuid not null, "location_id" uuid not null, primary key ("officer_id", "location_id"));`,
    );

    this.addSql(
      `create table "insurance_number_allocation" ("number" varchar(50) not null, "officer_id" uuid null, "block_id" uuid not null, "allocated_at" timestamptz not null, "insuree_id" uuid null, "used_at" timestamptz null, primary key ("number"));`,
    );
    this.addSql(
      `create index "insurance_number_allocation_officer_id_index" on "insurance_number_allocation" ("officer_id");`,
    );
    this.addSql(
      `create index "insurance_number_allocation_block_id_index" on "insurance_number_allocation" ("block_id");`,
    );
    this.addSql(
      `alter table "insurance_number_allocation" add constraint "insurance_number_allocation_insuree_id_unique" unique ("insuree_id");`,
    );

    this.addSql(
      `create table "price_list_line" ("id" uuid not null, "price_list_id" uuid not null, "item_id" uuid null, "service_id" uuid null, "price_overrule" numeric(18,2) null, primary key ("id"));`,
    );
    this.addSql(`create index "price_list_line_price_list_id_index" on "price_list_line" ("price_list_id");`);
    this.addSql(`create index "price_list_line_item_id_index" on "price_list_line" ("item_id");`);
    this.addSql(`create index "price_list_line_service_id_index" on "price_list_line" ("service_id");`);
    this.addSql(
      `create unique index "price_list_line_unique" on "price_list_line" ("price_list_id", coalesce("item_id", "service_id"));`,
    );

    this.addSql(
      `create table "product" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "code" varchar(50) not null, "name" varchar(200) not null, "location_id" uuid null, "date_from" date not null, "date_to" date not null, "conversion_product_id" uuid null, "insurance_period_months" int not null default 12, "administration_period_months" int not null default 0, "start_cycles" jsonb not null default '[]', "grace_period_enrolment_months" int not null default 0, "grace_period_renewal_months" int not null default 0, "grace_period_payment_months" int not null default 0, "lump_sum" numeric(18,2) null, "threshold" int null, "max_members" int null, "premium_adult" numeric(18,2) not null default '0.00', "premium_child" numeric(18,2) not null default '0.00', "registration_lump_sum" numeric(18,2) null, "registration_fee" numeric(18,2) null, "general_assembly_lump_sum" numeric(18,2) null, "general_assembly_fee" numeric(18,2) null, "enrolment_discount_percent" numeric(18,2) null, "enrolment_discount_period_months" int null, "renewal_discount_percent" numeric(18,2) null, "renewal_discount_period_months" int null, "max_installments" int null, "ded_treatment_general" numeric(18,2) null, "ded_treatment_in_patient" numeric(18,2) null, "ded_treatment_out_patient" numeric(18,2) null, "ded_insuree_general" numeric(18,2) null, "ded_insuree_in_patient" numeric(18,2) null, "ded_insuree_out_patient" numeric(18,2) null, "ded_policy_general" numeric(18,2) null, "ded_policy_in_patient" numeric(18,2) null, "ded_policy_out_patient" numeric(18,2) null, "max_treatment_general" numeric(18,2) null, "max_treatment_in_patient" numeric(18,2) null, "max_treatment_out_patient" numeric(18,2) null, "max_insuree_general" numeric(18,2) null, "max_insuree_in_patient" numeric(18,2) null, "max_insuree_out_patient" numeric(18,2) null, "max_policy_general" numeric(18,2) null, "max_policy_in_patient" numeric(18,2) null, "max_policy_out_patient" numeric(18,2) null, "max_policy_extra_member_general" numeric(18,2) null, "max_policy_extra_member_in_patient" numeric(18,2) null, "max_policy_extra_member_out_patient" numeric(18,2) null, "max_ceiling_policy_general" numeric(18,2) null, "max_ceiling_policy_in_patient" numeric(18,2) null, "max_ceiling_policy_out_patient" numeric(18,2) null, "ceiling_interpretation" text not null default 'I', "max_consultation_count" int null, "max_surgery_count" int null, "max_delivery_count" int null, "max_hospitalization_count" int null, "max_visit_count" int null, "max_antenatal_count" int null, "max_consultation_amount" numeric(18,2) null, "max_surgery_amount" numeric(18,2) null, "max_delivery_amount" numeric(18,2) null, "max_hospitalization_amount" numeric(18,2) null, "max_antenatal_amount" numeric(18,2) null, "relative_pricing_period" text null, "relative_pricing_period_in_patient" text null, "relative_pricing_period_out_patient" text null, "relative_pricing_distribution" jsonb null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "product_code_live_unique" on "product" ("code") where "deleted_at" is null;`,
    );

    this.addSql(
      `create table "policy" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "family_id" uuid not null, "product_id" uuid not null, "officer_id" uuid null, "stage" text not null, "status" text not null default 'idle', "value" numeric(18,2) not null, "enrol_date" date not null, "start_date" date not null, "effective_date" date null, "expiry_date" date not null, "previous_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "policy_family_id_index" on "policy" ("family_id");`);
    this.addSql(`create index "policy_product_id_index" on "policy" ("product_id");`);
    this.addSql(`create index "policy_expiry_date_index" on "policy" ("expiry_date");`);

    this.addSql(
      `create table "premium" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "policy_id" uuid not null, "product_id" uuid not null, "kind" text not null default 'payment', "amount" numeric(18,2) not null, "receipt" varchar(100) not null, "pay_date" date not null, "pay_type" text not null, "payer" varchar(200) null, "counterpart_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "premium_policy_id_index" on "premium" ("policy_id");`);
    this.addSql(
      `create unique index "premium_receipt_live_unique" on "premium" ("product_id", "receipt") where "deleted_at" is null and "kind" = 'payment';`,
    );

    this.addSql(
      `create table "insuree_policy" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "insuree_id" uuid not null, "policy_id" uuid not null, "enrol_date" date not null, "start_date" date not null, "effective_date" date null, "expiry_date" date not null, "cover_threshold" numeric(18,2) not null, primary key ("id"));`,
    );
    this.addSql(`create index "insuree_policy_insuree_id_index" on "insuree_policy" ("insuree_id");`);
    this.addSql(`create index "insuree_policy_policy_id_index" on "insuree_policy" ("policy_id");`);
    this.addSql(
      `create unique index "insuree_policy_live_unique" on "insuree_policy" ("insuree_id", "policy_id") where "deleted_at" is null;`,
    );

    this.addSql(
      `create table "product_coverage" ("id" uuid not null, "product_id" uuid not null, "item_id" uuid null, "service_id" uuid null, "price_origin" text not null default 'P', "limitation_type" text not null default 'C', "limitation_type_referral" text not null default 'C', "limitation_type_emergency" text not null default 'C', "limit_adult" numeric(18,2) not null default '100.00', "limit_adult_referral" numeric(18,2) not null default '100.00', "limit_adult_emergency" numeric(18,2) not null default '100.00', "limit_child" numeric(18,2) not null default '100.00', "limit_child_referral" numeric(18,2) not null default '100.00', "limit_child_emergency" numeric(18,2) not null default '100.00', "max_provisions_adult" int null, "max_provisions_child" int null, "waiting_period_adult_months" int not null default 0, "waiting_period_child_months" int not null default 0, "ceiling_exclusion_adult" text null, "ceiling_exclusion_child" text null, primary key ("id"));`,
    );
    this.addSql(`create index "product_coverage_product_id_index" on "product_coverage" ("product_id");`);
    this.addSql(`create index "product_coverage_item_id_index" on "product_coverage" ("item_id");`);
    this.addSql(`create index "product_coverage_service_id_index" on "product_coverage" ("service_id");`);
    this.addSql(
      `create unique index "product_coverage_unique" on "product_coverage" ("product_id", coalesce("item_id", "service_id"));`,
    );

    this.addSql(
      `create table "renewal_prompt" ("id" uuid not null, "policy_id" uuid not null, "product_id" uuid not null, "officer_id" uuid null, "prompt_date" date not null, "warnings" jsonb not null default '[]', "status" text not null default 'pending', "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "renewal_prompt" add constraint "renewal_prompt_policy_id_unique" unique ("policy_id");`,
    );

    this.addSql(
      `alter table "organisation" add "items_price_list_id" uuid null, add "services_price_list_id" uuid null;`,
    );
    this.addSql(
      `alter table "organisation" add constraint "organisation_items_price_list_id_foreign" foreign key ("items_price_list_id") references "price_list" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "organisation" add constraint "organisation_services_price_list_id_foreign" foreign key ("services_price_list_id") references "price_list" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "medical_item" add constraint "medical_item_type_check" check ("type" in ('D', 'M'));`,
    );
    this.addSql(
      `alter table "medical_item" add constraint "medical_item_care_type_check" check ("care_type" in ('I', 'O', 'B'));`,
    );

    this.addSql(
      `alter table "medical_service" add constraint "medical_service_type_check" check ("type" in ('P', 'C'));`,
    );
    this.addSql(
      `alter table "medical_service" add constraint "medical_service_level_check" check ("level" in ('S', 'V', 'D', 'H'));`,
    );
    this.addSql(
      `alter table "medical_service" add constraint "medical_service_category_check" check ("category" in ('S', 'D', 'A', 'H', 'C', 'O', 'V'));`,
    );
    this.addSql(
      `alter table "medical_service" add constraint "medical_service_care_type_check" check ("care_type" in ('I', 'O', 'B'));`,
    );
    this.addSql(
      `alter table "medical_service" add constraint "medical_service_package_type_check" check ("package_type" in ('S', 'P', 'F'));`,
    );

    this.addSql(
      `alter table "price_list" add constraint "price_list_location_id_foreign" foreign key ("location_id") references "location" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "price_list" add constraint "price_list_kind_check" check ("kind" in ('items', 'services'));`,
    );

    this.addSql(
      `alter table "officer" add constraint "officer_location_id_foreign" foreign key ("location_id") references "location" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "officer" add constraint "officer_substitute_id_foreign" foreign key ("substitute_id") references "officer" ("id") on delete set null deferrable initially deferred;`,
    );
    this.addSql(
      `alter table "officer" add constraint "officer_facility_id_foreign" foreign key ("facility_id") references "organisation" ("id") on delete set null;`,
    );
    this.addSql(`alter table "officer" add constraint "officer_role_check" check ("role" in ('EO', 'CA'));`);

    this.addSql(
      `alter table "officer_village" add constraint "officer_village_officer_id_foreign" foreign key ("officer_id") references "officer" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "officer_village" add constraint "officer_village_location_id_foreign" foreign key ("location_id") references "location" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "insurance_number_allocation" add constraint "insurance_number_allocation_officer_id_foreign" foreign key ("officer_id") references "officer" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "insurance_number_allocation" add constraint "insurance_number_allocation_insuree_id_foreign" foreign key ("insuree_id") references "insuree" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "price_list_line" add constraint "price_list_line_price_list_id_foreign" foreign key ("price_list_id") references "price_list" ("id");`,
    );
    this.addSql(
      `alter table "price_list_line" add constraint "price_list_line_item_id_foreign" foreign key ("item_id") references "medical_item" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "price_list_line" add constraint "price_list_line_service_id_foreign" foreign key ("service_id") references "medical_service" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "product" add constraint "product_location_id_foreign" foreign key ("location_id") references "location" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "product" add constraint "product_conversion_product_id_foreign" foreign key ("conversion_product_id") references "product" ("id") on delete set null deferrable initially deferred;`,
    );
    this.addSql(
      `alter table "product" add constraint "product_ceiling_interpretation_check" check ("ceiling_interpretation" in ('H', 'I'));`,
    );
    this.addSql(
      `alter table "product" add constraint "product_relative_pricing_period_check" check ("relative_pricing_period" in ('M', 'Q', 'Y'));`,
    );
    this.addSql(
      `alter table "product" add constraint "product_relative_pricing_period_in_patient_check" check ("relative_pricing_period_in_patient" in ('M', 'Q', 'Y'));`,
    );
    this.addSql(
      `alter table "product" add constraint "product_relative_pricing_period_out_patient_check" check ("relative_pricing_period_out_patient" in ('M', 'Q', 'Y'));`,
    );

    this.addSql(
      `alter table "policy" add constraint "policy_family_id_foreign" foreign key ("family_id") references "family" ("id");`,
    );
    this.addSql(
      `alter table "policy" add constraint "policy_product_id_foreign" foreign key ("product_id") references "product" ("id");`,
    );
    this.addSql(
      `alter table "policy" add constraint "policy_officer_id_foreign" foreign key ("officer_id") references "officer" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "policy" add constraint "policy_previous_id_foreign" foreign key ("previous_id") references "policy" ("id") on delete set null;`,
    );
    this.addSql(`alter table "policy" add constraint "policy_stage_check" check ("stage" in ('N', 'R'));`);
    this.addSql(
      `alter table "policy" add constraint "policy_status_check" check ("status" in ('idle', 'active', 'suspended', 'expired', 'ready'));`,
    );

    this.addSql(
      `alter table "premium" add constraint "premium_policy_id_foreign" foreign key ("policy_id") references "policy" ("id");`,
    );
    this.addSql(
      `alter table "premium" add constraint "premium_product_id_foreign" foreign key ("product_id") references "product" ("id");`,
    );
    this.addSql(
      `alter table "premium" add constraint "premium_counterpart_id_foreign" foreign key ("counterpart_id") references "premium" ("id") on delete set null deferrable initially deferred;`,
    );
    this.addSql(
      `alter table "premium" add constraint "premium_kind_check" check ("kind" in ('payment', 'reversal', 'credit-out', 'credit-in'));`,
    );
    this.addSql(
      `alter table "premium" add constraint "premium_pay_type_check" check ("pay_type" in ('B', 'C', 'M', 'F'));`,
    );

    this.addSql(
      `alter table "insuree_policy" add constraint "insuree_policy_insuree_id_foreign" foreign key ("insuree_id") references "insuree" ("id");`,
    );
    this.addSql(
      `alter table "insuree_policy" add constraint "insuree_policy_policy_id_foreign" foreign key ("policy_id") references "policy" ("id");`,
    );

    this.addSql(
      `alter table "product_coverage" add constraint "product_coverage_product_id_foreign" foreign key ("product_id") references "product" ("id");`,
    );
    this.addSql(
      `alter table "product_coverage" add constraint "product_coverage_item_id_foreign" foreign key ("item_id") references "medical_item" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "product_coverage" add constraint "product_coverage_service_id_foreign" foreign key ("service_id") references "medical_service" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "product_coverage" add constraint "product_coverage_price_origin_check" check ("price_origin" in ('P', 'O', 'R'));`,
    );
    this.addSql(
      `alter table "product_coverage" add constraint "product_coverage_limitation_type_check" check ("limitation_type" in ('C', 'F'));`,
    );
    this.addSql(
      `alter table "product_coverage" add constraint "product_coverage_limitation_type_referral_check" check ("limitation_type_referral" in ('C', 'F'));`,
    );
    this.addSql(
      `alter table "product_coverage" add constraint "product_coverage_limitation_type_emergency_check" check ("limitation_type_emergency" in ('C', 'F'));`,
    );
    this.addSql(
      `alter table "product_coverage" add constraint "product_coverage_ceiling_exclusion_adult_check" check ("ceiling_exclusion_adult" in ('H', 'N', 'B'));`,
    );
    this.addSql(
      `alter table "product_coverage" add constraint "product_coverage_ceiling_exclusion_child_check" check ("ceiling_exclusion_child" in ('H', 'N', 'B'));`,
    );

    this.addSql(
      `alter table "renewal_prompt" add constraint "renewal_prompt_policy_id_foreign" foreign key ("policy_id") references "policy" ("id");`,
    );
    this.addSql(
      `alter table "renewal_prompt" add constraint "renewal_prompt_product_id_foreign" foreign key ("product_id") references "product" ("id");`,
    );
    this.addSql(
      `alter table "renewal_prompt" add constraint "renewal_prompt_officer_id_foreign" foreign key ("officer_id") references "officer" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "renewal_prompt" add constraint "renewal_prompt_status_check" check ("status" in ('pending', 'renewed', 'declined'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "price_list_line" drop constraint "price_list_line_item_id_foreign";`);
    this.addSql(`alter table "product_coverage" drop constraint "product_coverage_item_id_foreign";`);
    this.addSql(`alter table "price_list_line" drop constraint "price_list_line_service_id_foreign";`);
    this.addSql(`alter table "product_coverage" drop constraint "product_coverage_service_id_foreign";`);
    this.addSql(`alter table "organisation" drop constraint "organisation_items_price_list_id_foreign";`);
    this.addSql(`alter table "organisation" drop constraint "organisation_services_price_list_id_foreign";`);
    this.addSql(`alter table "price_list_line" drop constraint "price_list_line_price_list_id_foreign";`);
    this.addSql(`alter table "officer" drop constraint "officer_substitute_id_foreign";`);
    this.addSql(`alter table "officer_village" drop constraint "officer_village_officer_id_foreign";`);
    this.addSql(
      `alter table "insurance_number_allocation" drop constraint "insurance_number_allocation_officer_id_foreign";`,
    );
    this.addSql(`alter table "policy" drop constraint "policy_officer_id_foreign";`);
    this.addSql(`alter table "renewal_prompt" drop constraint "renewal_prompt_officer_id_foreign";`);
    this.addSql(`alter table "product" drop constraint "product_conversion_product_id_foreign";`);
    this.addSql(`alter table "policy" drop constraint "policy_product_id_foreign";`);
    this.addSql(`alter table "premium" drop constraint "premium_product_id_foreign";`);
    this.addSql(`alter table "product_coverage" drop constraint "product_coverage_product_id_foreign";`);
    this.addSql(`alter table "renewal_prompt" drop constraint "renewal_prompt_product_id_foreign";`);
    this.addSql(`alter table "policy" drop constraint "policy_previous_id_foreign";`);
    this.addSql(`alter table "premium" drop constraint "premium_policy_id_foreign";`);
    this.addSql(`alter table "insuree_policy" drop constraint "insuree_policy_policy_id_foreign";`);
    this.addSql(`alter table "renewal_prompt" drop constraint "renewal_prompt_policy_id_foreign";`);
    this.addSql(`alter table "premium" drop constraint "premium_counterpart_id_foreign";`);

    this.addSql(`drop table if exists "diagnosis" cascade;`);
    this.addSql(`drop table if exists "diagnosis_list" cascade;`);
    this.addSql(`drop table if exists "diagnosis_value_set" cascade;`);
    this.addSql(`drop table if exists "health_card_issuer_key" cascade;`);
    this.addSql(`drop table if exists "medical_item" cascade;`);
    this.addSql(`drop table if exists "medical_service" cascade;`);
    this.addSql(`drop table if exists "price_list" cascade;`);
    this.addSql(`drop table if exists "officer" cascade;`);
    this.addSql(`drop table if exists "officer_village" cascade;`);
    this.addSql(`drop table if exists "insurance_number_allocation" cascade;`);
    this.addSql(`drop table if exists "price_list_line" cascade;`);
    this.addSql(`drop table if exists "product" cascade;`);
    this.addSql(`drop table if exists "policy" cascade;`);
    this.addSql(`drop table if exists "premium" cascade;`);
    this.addSql(`drop table if exists "insuree_policy" cascade;`);
    this.addSql(`drop table if exists "product_coverage" cascade;`);
    this.addSql(`drop table if exists "renewal_prompt" cascade;`);

    this.addSql(
      `alter table "organisation" drop column "items_price_list_id", drop column "services_price_list_id";`,
    );
  }
}
