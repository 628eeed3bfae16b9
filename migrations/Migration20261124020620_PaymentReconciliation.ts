import { Migration } from '@mikro-orm/migrations';

export class Migration20261124020620_PaymentReconciliation extends Migration {
  override name = 'Migration20261124020620_PaymentReconciliation';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "payment_reconciliation_run" ("id" uuid not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "provider" text not null, "statement_date" date not null, "status" text not null default 'current', "currency" varchar(3) not null, "statement_total" numeric(18,2) not null, "statement_lines" int not null, "matched" int not null, "amount_mismatch" int not null, "unallocated" int not null, "missing_in_kinga" int not null, "missing_in_statement" int not null, "created_by" varchar(100) not null, "source_sha256" varchar(64) not null, "superseded_at" timestamptz null, "superseded_by" uuid null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "payment_reconciliation_run_current_unique" on "payment_reconciliation_run" ("provider", "statement_date") where "status" = 'current' and "deleted_at" is null;`,
    );

    this.addSql(
      `create table "payment_reconciliation_line" ("id" uuid not null, "run_id" uuid not null, "position" int not null, "file_line" int null, "status" text not null, "provider_txn_id" varchar(100) not null, "statement_amount" numeric(18,2) null, "statement_date" date null, "reference" varchar(100) null, "payer" varchar(200) null, "kinga_amount" numeric(18,2) null, "kinga_date" date null, "premium_id" uuid null, "policy_id" uuid null, "inbox_id" uuid null, "note" text null, primary key ("id"));`,
    );
    this.addSql(
      `create index "payment_reconciliation_line_run_id_index" on "payment_reconciliation_line" ("run_id");`,
    );
    this.addSql(
      `create index "payment_reconciliation_line_premium_id_index" on "payment_reconciliation_line" ("premium_id");`,
    );

    this.addSql(
      `alter table "payment_reconciliation_run" add constraint "payment_reconciliation_run_provider_check" check ("provider" in ('mpesa', 'mtn', 'airtel', 'mojaloop', 'generic'));`,
    );
    this.addSql(
      `alter table "payment_reconciliation_run" add constraint "payment_reconciliation_run_status_check" check ("status" in ('current', 'superseded'));`,
    );

    this.addSql(
      `alter table "payment_reconciliation_line" add constraint "payment_reconciliation_line_run_id_foreign" foreign key ("run_id") references "payment_reconciliation_run" ("id");`,
    );
    this.addSql(
      `alter table "payment_reconciliation_line" add constraint "payment_reconciliation_line_status_check" check ("status" in ('matched', 'amount-mismatch', 'unallocated', 'missing-in-kinga', 'missing-in-statement'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "payment_reconciliation_line" drop constraint "payment_reconciliation_line_run_id_foreign";`,
    );

    this.addSql(`drop table if exists "payment_reconciliation_run" cascade;`);
    this.addSql(`drop table if exists "payment_reconciliation_line" cascade;`);
  }
}
