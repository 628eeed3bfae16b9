import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { newId } from '../shared/ids.ts';
import { lockKey } from '../shared/locks.ts';
import { addMoney, compareMoney, isMoney, normaliseMoney, ZERO, type Money } from '../shared/money.ts';
import { touch } from '../shared/record.ts';
import { Premium } from '../policy/premium.entity.ts';
import type { PaymentProvider } from './payment-event.ts';
import {
  PaymentReconciliationLine,
  PaymentReconciliationRun,
  type ReconciliationLineStatus,
} from './payment-reconciliation.entity.ts';
import { allocatedPaymentsOf, kingaSidesOf, type KingaSide } from './reconciliation-ledger.ts';

/** One line of a provider's statement: money received. */
export interface StatementLine {
  /** Its line in the file, to name it in the run. */
  fileLine: number;
  transactionId: string;
  amount: Money;
  date: IsoDate;
  reference?: string;
  payer?: string;
}

export interface StatementImport {
  provider: PaymentProvider;
  statementDate: IsoDate;
  currency: string;
  lines: readonly StatementLine[];
  createdBy: string;
  sourceSha256: string;
}

export interface Reconciliation {
  run: PaymentReconciliationRun;
  lines: PaymentReconciliationLine[];
  /** The run of the same provider and day this one supersedes. */
  replaced: PaymentReconciliationRun | null;
}

type LineFields = Omit<PaymentReconciliationLine, 'id' | 'run' | 'position'>;

/**
 * Reconciles a provider's statement of one day with what Kinga received (integrations.md Part C
 * §6): each statement line is matched (the same transaction allocated to a premium of the same
 * amount), an amount mismatch, unallocated (received, but an exception or still waiting) or missing
 * in Kinga (a lost callback); Kinga's payments from that provider on that day that the statement
 * leaves off are missing in the statement. Nothing is created for a lost callback: the line lists
 * it, and once staff have recorded it, importing the statement again matches it.
 *
 * A second import of the same provider and day supersedes the first (kept, as a version): only
 * the current run clears premiums, so the PaymentNotices whose clearing changes are touched to be
 * published again. Imports of one day queue on a lock; the caller flushes.
 */
export async function reconcileStatement(
  em: EntityManager,
  statement: StatementImport,
): Promise<Reconciliation> {
  const { provider, statementDate } = statement;
  await lockKey(em, `payment-reconciliation:${provider}:${statementDate}`);
  const replaced = await em.findOne(PaymentReconciliationRun, {
    provider,
    statementDate,
    status: 'current',
    deletedAt: null,
  });
  const sides = await kingaSidesOf(
    em,
    provider,
    statement.lines.map((l) => l.transactionId),
  );
  const fields: LineFields[] = statement.lines.map((line) => compare(line, sides.get(line.transactionId)));
  const onStatement = new Set(fields.flatMap((f) => (f.premiumId ? [f.premiumId] : [])));
  for (const { premium, inboxId } of await allocatedPaymentsOf(em, provider, statementDate)) {
    if (!onStatement.has(premium.id)) {
      fields.push(leftOff(premium, inboxId));
    }
  }

  const runId = newId();
  const clearedBefore = replaced ? await clearedBy(em, replaced) : new Set<string>();
  if (replaced) {
    replaced.status = 'superseded';
    replaced.supersededAt = new Date();
    replaced.supersededBy = runId;
    // Before the new run is inserted: one current run per provider and day (a unique index).
    await em.flush();
  }
  const count = (status: ReconciliationLineStatus) => fields.filter((f) => f.status === status).length;
  const run = em.create(PaymentReconciliationRun, {
    id: runId,
    provider,
    statementDate,
    status: 'current',
    currency: statement.currency,
    statementTotal: statement.lines.reduce<Money>((sum, l) => addMoney(sum, l.amount), ZERO),
    statementLines: statement.lines.length,
    matched: count('matched'),
    amountMismatch: count('amount-mismatch'),
    unallocated: count('unallocated'),
    missingInKinga: count('missing-in-kinga'),
    missingInStatement: count('missing-in-statement'),
    createdBy: statement.createdBy,
    sourceSha256: statement.sourceSha256,
  } as PaymentReconciliationRun);
  const lines = fields.map((f, position) =>
    em.create(PaymentReconciliationLine, { ...f, run, position } as PaymentReconciliationLine),
  );
  const clearedNow = new Set(lines.filter((l) => l.status === 'matched').map((l) => l.premiumId!));
  await republish(em, clearedBefore, clearedNow);
  return { run, lines, replaced };
}

function compare(line: StatementLine, side: KingaSide | undefined): LineFields {
  const statementSide = {
    fileLine: line.fileLine,
    providerTxnId: line.transactionId,
    statementAmount: normaliseMoney(line.amount),
    statementDate: line.date,
    reference: line.reference ?? null,
    payer: line.payer ?? null,
  };
  const premium = side?.premium;
  if (premium) {
    const same = compareMoney(premium.amount, line.amount) === 0;
    return {
      ...statementSide,
      status: same ? 'matched' : 'amount-mismatch',
      kingaAmount: premium.amount,
      kingaDate: premium.payDate,
      premiumId: premium.id,
      policyId: premium.policy.id,
      inboxId: side.inbox?.id ?? null,
      note: same ? null : `Kinga recorded ${premium.amount}, the statement ${statementSide.statementAmount}`,
    };
  }
  const entry = side?.inbox;
  if (entry) {
    const amount = entry.event.amount;
    return {
      ...statementSide,
      status: 'unallocated',
      kingaAmount: amount && isMoney(amount) ? normaliseMoney(amount) : null,
      kingaDate: entry.event.occurredAt ?? null,
      premiumId: null,
      policyId: entry.policyId ?? null,
      inboxId: entry.id,
      note: `Received by Kinga but not allocated (${entry.status}${entry.lastError ? `: ${entry.lastError}` : ''})`,
    };
  }
  return {
    ...statementSide,
    status: 'missing-in-kinga',
    kingaAmount: null,
    kingaDate: null,
    premiumId: null,
    policyId: null,
    inboxId: null,
    note: 'Never received by Kinga (a lost callback): record the payment, then import the statement again',
  };
}

function leftOff(premium: Premium, inboxId: string): LineFields {
  return {
    fileLine: null,
    status: 'missing-in-statement',
    providerTxnId: premium.receipt,
    statementAmount: null,
    statementDate: null,
    reference: null,
    payer: premium.payer ?? null,
    kingaAmount: premium.amount,
    kingaDate: premium.payDate,
    premiumId: premium.id,
    policyId: premium.policy.id,
    inboxId,
    note: 'Allocated by Kinga, absent from the statement',
  };
}

async function clearedBy(em: EntityManager, run: PaymentReconciliationRun): Promise<Set<string>> {
  const matched = await em.find(PaymentReconciliationLine, { run, status: 'matched' });
  return new Set(matched.map((l) => l.premiumId!));
}

/** The premiums whose clearing changes with this run: their PaymentNotice says so in a new version. */
async function republish(em: EntityManager, before: Set<string>, now: Set<string>): Promise<void> {
  const changed = [...before, ...now].filter((id) => before.has(id) !== now.has(id));
  if (changed.length === 0) {
    return;
  }
  for (const premium of await em.find(Premium, { id: { $in: changed } })) {
    touch(premium);
  }
}
