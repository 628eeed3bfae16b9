import { Migration } from '@mikro-orm/migrations';

export class Migration20261124011821_PaymentInbox extends Migration {
  override name = 'Migration20261124011821_PaymentInbox';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "outbound_event" ("id" uuid not null, "type" text not null, "occurred_at" timestamptz not null, "data" jsonb not null, primary key ("id"));`,
    );
    this.addSql(`create index "outbound_event_occurred_at_index" on "outbound_event" ("occurred_at");`);

    this.addSql(
      `create table "payment_inbox" ("id" uuid not null, "provider" text not null, "provider_txn_id" varchar(100) not null, "received_at" timestamptz not null, "raw_body" text not null, "headers" jsonb not null, "event" jsonb not null, "status" text not null default 'received', "attempts" int not null default 0, "last_error" text null, "processed_at" timestamptz null, "policy_id" uuid null, "premium_id" uuid null, "resolution" text null, "amount" numeric(18,2) null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "payment_inbox_provider_txn_unique" on "payment_inbox" ("provider", "provider_txn_id");`,
    );
    this.addSql(
      `create index "payment_inbox_waiting_index" on "payment_inbox" ("received_at") where "status" in ('received', 'unmatched');`,
    );

    this.addSql(
      `create table "payment_reference" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "reference" varchar(20) not null, "policy_id" uuid not null, "purpose" text not null, "expected_amount" numeric(18,2) not null, "paid_amount" numeric(18,2) not null default '0.00', "status" text not null default 'open', primary key ("id"));`,
    );
    this.addSql(`create index "payment_reference_policy_id_index" on "payment_reference" ("policy_id");`);
    this.addSql(
      `create unique index "payment_reference_reference_unique" on "payment_reference" ("reference");`,
    );

    this.addSql(
      `alter table "outbound_event" add constraint "outbound_event_type_check" check ("type" in ('payment.received', 'policy.activated', 'policy.balance-due'));`,
    );

    this.addSql(
      `alter table "payment_inbox" add constraint "payment_inbox_provider_check" check ("provider" in ('mpesa', 'mtn', 'airtel', 'mojaloop', 'generic'));`,
    );
    this.addSql(
      `alter table "payment_inbox" add constraint "payment_inbox_status_check" check ("status" in ('received', 'allocated', 'failed', 'unmatched', 'assigned', 'refunded'));`,
    );

    this.addSql(
      `alter table "payment_reference" add constraint "payment_reference_policy_id_foreign" foreign key ("policy_id") references "policy" ("id");`,
    );
    this.addSql(
      `alter table "payment_reference" add constraint "payment_reference_purpose_check" check ("purpose" in ('new', 'renewal', 'extra-member'));`,
    );
    this.addSql(
      `alter table "payment_reference" add constraint "payment_reference_status_check" check ("status" in ('open', 'paid', 'cancelled'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "outbound_event" cascade;`);
    this.addSql(`drop table if exists "payment_inbox" cascade;`);
    this.addSql(`drop table if exists "payment_reference" cascade;`);
  }
}
