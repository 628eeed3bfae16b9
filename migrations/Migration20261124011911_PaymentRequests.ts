import { Migration } from '@mikro-orm/migrations';

export class Migration20261124011911_PaymentRequests extends Migration {
  override name = 'Migration20261124011911_PaymentRequests';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "payment_request" ("id" uuid not null, "provider" text not null, "provider_request_id" varchar(100) not null, "reference" varchar(20) not null, "amount" numeric(18,2) not null, "currency" varchar(3) not null, "payer" varchar(50) not null, "status" text not null default 'pending', "created_at" timestamptz not null, "answered_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "payment_request_provider_request_unique" on "payment_request" ("provider", "provider_request_id");`,
    );
    this.addSql(
      `create index "payment_request_pending_index" on "payment_request" ("created_at") where "status" = 'pending';`,
    );

    this.addSql(
      `alter table "payment_request" add constraint "payment_request_provider_check" check ("provider" in ('mpesa', 'mtn', 'airtel', 'mojaloop', 'generic'));`,
    );
    this.addSql(
      `alter table "payment_request" add constraint "payment_request_status_check" check ("status" in ('pending', 'answered'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "payment_request" cascade;`);
  }
}
