import { Migration } from '@mikro-orm/migrations';

export class Migration20261124012205_RelativePricing extends Migration {
  override name = 'Migration20261124012205_RelativePricing';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "relative_pricing_run" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "product_id" uuid not null, "period_code" varchar(7) not null, "period_kind" text not null, "period_start" date not null, "period_end" date not null, "status" text not null default 'run', "distribution_percent" numeric(5,2) not null, "contributions" numeric(18,2) not null, "nominal" numeric(18,2) not null, "index_general" numeric(12,6) null, "index_in_patient" numeric(12,6) null, "index_out_patient" numeric(12,6) null, "claims" int not null, "lines" int not null, "run_by" varchar(100) null, "reversed_at" timestamptz null, "reversed_by" varchar(100) null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "relative_pricing_run_live_unique" on "relative_pricing_run" ("product_id", "period_code") where "status" = 'run';`,
    );
    this.addSql(
      `create index "relative_pricing_run_product_id_period_start_index" on "relative_pricing_run" ("product_id", "period_start");`,
    );

    this.addSql(
      `alter table "relative_pricing_run" add constraint "relative_pricing_run_product_id_foreign" foreign key ("product_id") references "product" ("id");`,
    );
    this.addSql(
      `alter table "relative_pricing_run" add constraint "relative_pricing_run_period_kind_check" check ("period_kind" in ('M', 'Q', 'Y'));`,
    );
    this.addSql(
      `alter table "relative_pricing_run" add constraint "relative_pricing_run_status_check" check ("status" in ('run', 'reversed'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "relative_pricing_run" cascade;`);
  }
}
