import type { InsureePolicy } from './insuree-policy.entity.ts';
import { settleBook, type PolicyBook } from './policy-book.ts';
import type { PolicyRules } from './policy-rules.ts';
import type { Settlement } from './policy-settlement.ts';
import type { Policy, PolicyStatus } from './policy.entity.ts';

/** What a ledger change did: the answer to a cashier, an officer's app or a mobile money callback. */
export interface PremiumAllocation {
  policy: Policy;
  previousStatus: PolicyStatus;
  /** The new status and effective date; paid, balance (still owed) and credit (paid beyond the value). */
  settlement: Settlement;
  /** Members whose cover began with this change. */
  covered: InsureePolicy[];
  /** Members whose cover this change withdrew (a reversal). */
  uncovered: InsureePolicy[];
}

/** Settles the book after a change and reports who gained or lost cover. */
export function allocate(book: PolicyBook, rules: PolicyRules): PremiumAllocation {
  const previousStatus = book.policy.status;
  const before = new Map(book.members.map((m) => [m, m.effectiveDate ?? null]));
  const settlement = settleBook(book, rules);
  return {
    policy: book.policy,
    previousStatus,
    settlement,
    covered: book.members.filter((m) => before.get(m) == null && m.effectiveDate != null),
    uncovered: book.members.filter((m) => before.get(m) != null && m.effectiveDate == null),
  };
}
