import { defineEntity, p } from '@mikro-orm/core';
import { newId } from '../shared/ids.ts';
import { money } from '../shared/money.ts';
import { recordProperties } from '../shared/record.ts';
import { PaymentProviders } from './payment-event.ts';

/** current: the day's result; superseded: replaced by a later import of the same provider and day. */
export const ReconciliationRunStatuses = ['current', 'superseded'] as const;
export type ReconciliationRunStatus = (typeof ReconciliationRunStatuses)[number];

/**
 * matched: on the statement and allocated by Kinga to a premium of the same amount (the premium is
 * cleared); amount-mismatch: the same transaction, another amount; unallocated: Kinga received the
 * callback but allocated nothing (an exception, a failure, a payment waiting); missing-in-kinga: on
 * the statement, never received (a lost callback); missing-in-statement: allocated by Kinga from
 * this provider on the statement's day, absent from the statement.
 */
export const ReconciliationLineStatuses = [
  'matched',
  'amount-mismatch',
  'unallocated',
  'missing-in-kinga',
  'missing-in-statement',
] as const;
export type ReconciliationLineStatus = (typeof ReconciliationLineStatuses)[number];

/**
 * One reconciliation of a provider's statement for one day (integrations.md Part C §6) against the
 * payments Kinga received from that provider. Importing the same provider and day again keeps this
 * run as a superseded version and makes the new one current: only a current run clears premiums.
 */
export const PaymentReconciliationRunSchema = defineEntity({
  name: 'PaymentReconciliationRun',
  tableName: 'payment_reconciliation_run',
  properties: {
    ...recordProperties,
    provider: p.enum(PaymentProviders),
    statementDate: p.date(),
    status: p.enum(ReconciliationRunStatuses).default('current'),
    currency: p.string().length(3),
    /** Σ of the statement's lines taken (money received). */
    statementTotal: money(),
    statementLines: p.integer(),
    matched: p.integer(),
    amountMismatch: p.integer(),
    unallocated: p.integer(),
    missingInKinga: p.integer(),
    missingInStatement: p.integer(),
    createdBy: p.string().length(100),
    /** SHA-256 of the file imported, to tell two imports of one day apart. */
    sourceSha256: p.string().length(64),
    supersededAt: p.datetime().nullable(),
    /** The run that replaced this one. */
    supersededBy: p.uuid().nullable(),
  },
  indexes: [
    {
      name: 'payment_reconciliation_run_current_unique',
      expression:
        'create unique index "payment_reconciliation_run_current_unique" on "payment_reconciliation_run" ("provider", "statement_date") where "status" = \'current\' and "deleted_at" is null',
    },
  ],
});
export class PaymentReconciliationRun extends PaymentReconciliationRunSchema.class {
  /** Every line of the statement matched, and nothing of Kinga's left off it. */
  isComplete(): boolean {
    return this.matched === this.statementLines && this.missingInStatement === 0;
  }
}
PaymentReconciliationRunSchema.setClass(PaymentReconciliationRun);

/** One line of a run: a statement line, or a payment of Kinga's the statement left off. */
export const PaymentReconciliationLineSchema = defineEntity({
  name: 'PaymentReconciliationLine',
  tableName: 'payment_reconciliation_line',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    run: () => p.manyToOne(PaymentReconciliationRun).index(),
    /** Order in the run: the statement's lines first, then Kinga's payments left off it. */
    position: p.integer(),
    /** The line of the CSV file (1 is the header); none for a payment left off the statement. */
    fileLine: p.integer().nullable(),
    status: p.enum(ReconciliationLineStatuses),
    providerTxnId: p.string().length(100),
    statementAmount: money().nullable(),
    statementDate: p.date().nullable(),
    /** The account or reference and the payer, as the statement gives them. */
    reference: p.string().length(100).nullable(),
    payer: p.string().length(200).nullable(),
    kingaAmount: money().nullable(),
    kingaDate: p.date().nullable(),
    /** Kinga's side, when it has one: the premium (PaymentNotice), its policy, the inbox entry. */
    premiumId: p.uuid().nullable().index(),
    policyId: p.uuid().nullable(),
    inboxId: p.uuid().nullable(),
    note: p.text().nullable(),
  },
});
export class PaymentReconciliationLine extends PaymentReconciliationLineSchema.class {}
PaymentReconciliationLineSchema.setClass(PaymentReconciliationLine);
