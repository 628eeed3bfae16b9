import { Migration } from '@mikro-orm/migrations';

export class Migration20261124020712_Dhis2PushRuns extends Migration {
  override name = 'Migration20261124020712_Dhis2PushRuns';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "dhis2_push_run" ("id" uuid not null, "instance" varchar(100) not null, "url" text not null, "data_set" varchar(50) not null, "period" varchar(20) not null, "format" text not null, "actor" varchar(100) not null, "status" text not null default 'running', "http_status" int null, "values_sent" int not null default 0, "imported" int null, "updated" int null, "ignored" int null, "deleted" int null, "conflicts" jsonb null, "message" text null, "started_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "dhis2_push_run_push_index" on "dhis2_push_run" ("instance", "data_set", "period", "started_at");`,
    );

    this.addSql(
      `alter table "dhis2_push_run" add constraint "dhis2_push_run_format_check" check ("format" in ('json', 'adx'));`,
    );
    this.addSql(
      `alter table "dhis2_push_run" add constraint "dhis2_push_run_status_check" check ("status" in ('running', 'success', 'conflict', 'error', 'failed'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "dhis2_push_run" cascade;`);
  }
}
