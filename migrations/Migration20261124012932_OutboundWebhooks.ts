import { Migration } from '@mikro-orm/migrations';

export class Migration20261124012932_OutboundWebhooks extends Migration {
  override name = 'Migration20261124012932_OutboundWebhooks';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "webhook_subscriber" ("id" uuid not null, "url" varchar(2000) not null, "description" varchar(200) null, "secret" varchar(100) not null, "event_types" jsonb not null, "status" text not null default 'active', "disabled_reason" text null, "disabled_at" timestamptz null, "created_by" varchar(100) not null, "created_at" timestamptz not null, "fanned_out_until" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null, "event_id" uuid not null, "subscriber_id" uuid not null, "status" text not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_status" int null, "last_error" text null, "last_attempt_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "webhook_delivery_event_subscriber_unique" on "webhook_delivery" ("event_id", "subscriber_id");`,
    );
    this.addSql(`create index "webhook_delivery_subscriber_index" on "webhook_delivery" ("subscriber_id");`);
    this.addSql(
      `create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'pending';`,
    );

    this.addSql(
      `alter table "webhook_subscriber" add constraint "webhook_subscriber_status_check" check ("status" in ('active', 'disabled'));`,
    );

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "outbound_event" ("id");`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_subscriber_id_foreign" foreign key ("subscriber_id") references "webhook_subscriber" ("id");`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_status_check" check ("status" in ('pending', 'delivered', 'failed'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_subscriber_id_foreign";`);

    this.addSql(`drop table if exists "webhook_subscriber" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }
}
