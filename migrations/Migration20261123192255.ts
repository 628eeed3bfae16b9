import { Migration } from '@mikro-orm/migrations';

export class Migration20261123192255 extends Migration {
  override name = 'Migration20261123192255';

  override up(): void | Promise<void> {
    // Case- and accent-insensitive form for string search; src/fhir/search/fold.ts mirrors it.
    this.addSql(
      `create or replace function "kinga_fold"(text) returns text language sql immutable strict parallel safe as $$ select lower(regexp_replace(normalize($1, NFD), '[\\u0300-\\u036f]', '', 'g')) $$;`,
    );

    this.addSql(
      `create table "fhir_resource" ("resource_type" varchar(64) not null, "id" uuid not null, "version_id" int not null, "last_updated" timestamptz not null, "deleted" boolean not null, "content" text null, primary key ("resource_type", "id"));`,
    );

    this.addSql(
      `create table "fhir_resource_version" ("resource_type" varchar(64) not null, "id" uuid not null, "version_id" int not null, "last_updated" timestamptz not null, "deleted" boolean not null, "content" text null, "actor" varchar(100) null, "request_id" varchar(100) null, primary key ("resource_type", "id", "version_id"));`,
    );
    this.addSql(
      `create index "fhir_resource_version_resource_type_last_updated_index" on "fhir_resource_version" ("resource_type", "last_updated");`,
    );

    this.addSql(
      `create table "location" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "code" varchar(50) not null, "name" varchar(200) not null, "type" text not null, "status" text not null default 'active', "parent_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "location_parent_id_index" on "location" ("parent_id");`);
    this.addSql(
      `create unique index "location_code_live_unique" on "location" ("code") where "deleted_at" is null;`,
    );
    this.addSql(
      `create index "location_name_fold_index" on "location" (kinga_fold("name") text_pattern_ops);`,
    );
    this.addSql(`create index "location_type_index" on "location" ("type");`);
    this.addSql(`create index "location_updated_at_index" on "location" ("updated_at");`);

    this.addSql(
      `create table "organisation" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "kind" text not null, "code" varchar(50) not null, "name" varchar(200) not null, "status" text not null default 'active', "level" text null, "care_type" text null, "legal_form" text null, "location_id" uuid null, "parent_id" uuid null, "address_text" varchar(500) null, "city" varchar(100) null, "district" varchar(100) null, "state" varchar(100) null, "phone" varchar(50) null, "fax" varchar(50) null, "email" varchar(100) null, "contract_start" date null, "contract_end" date null, primary key ("id"));`,
    );
    this.addSql(`create index "organisation_location_id_index" on "organisation" ("location_id");`);
    this.addSql(`create index "organisation_parent_id_index" on "organisation" ("parent_id");`);
    this.addSql(
      `create unique index "organisation_code_live_unique" on "organisation" ("code") where "deleted_at" is null;`,
    );
    this.addSql(
      `create index "organisation_name_fold_index" on "organisation" (kinga_fold("name") text_pattern_ops);`,
    );
    this.addSql(`create index "organisation_updated_at_index" on "organisation" ("updated_at");`);

    this.addSql(
      `create table "insuree" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "insurance_number" varchar(50) not null, "last_name" varchar(100) not null, "other_names" varchar(100) not null, "birth_date" date null, "gender" text null, "marital_status" text null, "status" text not null default 'AC', "phone" varchar(50) null, "email" varchar(100) null, "address_text" varchar(500) null, "municipality" varchar(100) null, "village_id" uuid null, "identity_document_type" text null, "identity_document_number" varchar(50) null, "first_service_point_id" uuid null, "family_id" uuid null, "is_head" boolean not null default false, "relationship" varchar(10) null, "card_issued" boolean not null default false, "profession" varchar(10) null, "education" varchar(10) null, "photo" jsonb null, primary key ("id"));`,
    );
    this.addSql(`create index "insuree_village_id_index" on "insuree" ("village_id");`);
    this.addSql(
      `create index "insuree_first_service_point_id_index" on "insuree" ("first_service_point_id");`,
    );
    this.addSql(`create index "insuree_family_id_index" on "insuree" ("family_id");`);
    this.addSql(
      `create unique index "insuree_insurance_number_live_unique" on "insuree" ("insurance_number") where "deleted_at" is null;`,
    );
    this.addSql(
      `create index "insuree_last_name_fold_index" on "insuree" (kinga_fold("last_name") text_pattern_ops);`,
    );
    this.addSql(
      `create index "insuree_other_names_fold_index" on "insuree" (kinga_fold("other_names") text_pattern_ops);`,
    );
    this.addSql(`create index "insuree_birth_date_index" on "insuree" ("birth_date");`);
    this.addSql(`create index "insuree_phone_index" on "insuree" ("phone");`);
    this.addSql(`create index "insuree_updated_at_index" on "insuree" ("updated_at");`);

    this.addSql(
      `create table "family" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "head_id" uuid null, "village_id" uuid null, "type" text null, "poverty" boolean null, "address_text" varchar(500) null, "municipality" varchar(100) null, "confirmation_number" varchar(50) null, "confirmation_type" text null, primary key ("id"));`,
    );
    this.addSql(`create index "family_head_id_index" on "family" ("head_id");`);
    this.addSql(`create index "family_village_id_index" on "family" ("village_id");`);
    this.addSql(`create index "family_updated_at_index" on "family" ("updated_at");`);

    this.addSql(
      `create table "api_client" ("id" uuid not null, "client_id" varchar(100) not null, "name" varchar(200) not null, "scopes" text not null, "secret_hash" varchar(300) null, "jwks" jsonb null, "jwks_url" varchar(500) null, "facility_id" uuid null, "enabled" boolean not null default true, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "api_client" add constraint "api_client_client_id_unique" unique ("client_id");`,
    );

    this.addSql(
      `create table "signing_key" ("kid" varchar(100) not null, "alg" varchar(20) not null, "private_jwk" jsonb not null, "created_at" timestamptz not null, "retired_at" timestamptz null, primary key ("kid"));`,
    );

    this.addSql(
      `create table "used_client_assertion" ("issuer" varchar(100) not null, "jti" varchar(200) not null, "expires_at" timestamptz not null, primary key ("issuer", "jti"));`,
    );
    this.addSql(
      `create index "used_client_assertion_expires_at_index" on "used_client_assertion" ("expires_at");`,
    );

    this.addSql(
      `alter table "location" add constraint "location_parent_id_foreign" foreign key ("parent_id") references "location" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "location" add constraint "location_type_check" check ("type" in ('R', 'D', 'W', 'V'));`,
    );
    this.addSql(
      `alter table "location" add constraint "location_status_check" check ("status" in ('active', 'inactive'));`,
    );

    this.addSql(
      `alter table "organisation" add constraint "organisation_location_id_foreign" foreign key ("location_id") references "location" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "organisation" add constraint "organisation_parent_id_foreign" foreign key ("parent_id") references "organisation" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "organisation" add constraint "organisation_kind_check" check ("kind" in ('health-facility', 'insurer'));`,
    );
    this.addSql(
      `alter table "organisation" add constraint "organisation_status_check" check ("status" in ('active', 'inactive', 'delisted', 'idle'));`,
    );
    this.addSql(
      `alter table "organisation" add constraint "organisation_level_check" check ("level" in ('D', 'C', 'H'));`,
    );
    this.addSql(
      `alter table "organisation" add constraint "organisation_care_type_check" check ("care_type" in ('I', 'O', 'B'));`,
    );
    this.addSql(
      `alter table "organisation" add constraint "organisation_legal_form_check" check ("legal_form" in ('C', 'D', 'G', 'P'));`,
    );

    this.addSql(
      `alter table "insuree" add constraint "insuree_village_id_foreign" foreign key ("village_id") references "location" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "insuree" add constraint "insuree_first_service_point_id_foreign" foreign key ("first_service_point_id") references "organisation" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "insuree" add constraint "insuree_family_id_foreign" foreign key ("family_id") references "family" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "insuree" add constraint "insuree_gender_check" check ("gender" in ('M', 'F', 'O'));`,
    );
    this.addSql(
      `alter table "insuree" add constraint "insuree_marital_status_check" check ("marital_status" in ('M', 'S', 'D', 'W', 'N'));`,
    );
    this.addSql(
      `alter table "insuree" add constraint "insuree_status_check" check ("status" in ('AC', 'IN', 'DE'));`,
    );
    this.addSql(
      `alter table "insuree" add constraint "insuree_identity_document_type_check" check ("identity_document_type" in ('D', 'N', 'P', 'V'));`,
    );

    this.addSql(
      `alter table "family" add constraint "family_head_id_foreign" foreign key ("head_id") references "insuree" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "family" add constraint "family_village_id_foreign" foreign key ("village_id") references "location" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "family" add constraint "family_type_check" check ("type" in ('C', 'G', 'H', 'O', 'P', 'S', 'T'));`,
    );
    this.addSql(
      `alter table "family" add constraint "family_confirmation_type_check" check ("confirmation_type" in ('A', 'B', 'C', 'D'));`,
    );

    this.addSql(
      `alter table "api_client" add constraint "api_client_facility_id_foreign" foreign key ("facility_id") references "organisation" ("id") on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop function if exists "kinga_fold"(text) cascade;`);
    this.addSql(`alter table "location" drop constraint "location_parent_id_foreign";`);
    this.addSql(`alter table "organisation" drop constraint "organisation_location_id_foreign";`);
    this.addSql(`alter table "insuree" drop constraint "insuree_village_id_foreign";`);
    this.addSql(`alter table "family" drop constraint "family_village_id_foreign";`);
    this.addSql(`alter table "organisation" drop constraint "organisation_parent_id_foreign";`);
    this.addSql(`alter table "insuree" drop constraint "insuree_first_service_point_id_foreign";`);
    this.addSql(`alter table "api_client" drop constraint "api_client_facility_id_foreign";`);
    this.addSql(`alter table "family" drop constraint "family_head_id_foreign";`);
    this.addSql(`alter table "insuree" drop constraint "insuree_family_id_foreign";`);

    this.addSql(`drop table if exists "fhir_resource" cascade;`);
    this.addSql(`drop table if exists "fhir_resource_version" cascade;`);
    this.addSql(`drop table if exists "location" cascade;`);
    this.addSql(`drop table if exists "organisation" cascade;`);
    this.addSql(`drop table if exists "insuree" cascade;`);
    this.addSql(`drop table if exists "family" cascade;`);
    this.addSql(`drop table if exists "api_client" cascade;`);
    this.addSql(`drop table if exists "signing_key" cascade;`);
    this.addSql(`drop table if exists "used_client_assertion" cascade;`);
  }
}
