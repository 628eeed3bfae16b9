import { LockMode, type EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { holdBook } from './held-books.ts';
import { InsureePolicy } from './insuree-policy.entity.ts';
import { Policy } from './policy.entity.ts';
import type { PolicyRules } from './policy-rules.ts';
import { settle, type Settlement } from './policy-settlement.ts';
import { Premium } from './premium.entity.ts';

/**
 * A policy with its members' cover and its premium ledger: what every use case that moves money
 * or cover works on. Use cases add their new entries to `members` and `ledger`, then `settleBook`.
 */
export interface PolicyBook {
  policy: Policy;
  members: InsureePolicy[];
  /** By pay date, then in recording order (ids are time-ordered). */
  ledger: Premium[];
}

/**
 * Loads a live policy's book, holding its row locked until the transaction ends: two payments
 * for one policy (a receipt at the counter and a mobile money callback) are allocated one after
 * the other, each seeing the other's entry. The policy's product, family, officer and previous
 * policy and the members' insurees come loaded, for the use cases that change the policy itself.
 */
export async function openBook(em: EntityManager, policyId: string, field = 'policy'): Promise<PolicyBook> {
  const book = await openLedger(em, policyId, field);
  await em.populate(book.policy, ['product', 'family', 'officer', 'previous']);
  await em.populate(book.members, ['insuree']);
  return book;
}

/**
 * The book as money moves need it (a premium recorded, reversed, a reference issued, an
 * activation), locked the same way: the policy's own row, its members' cover and its ledger,
 * without the records around them. A payment allocation runs this for every callback, and
 * hydrating the product, family, officer and four insurees was most of its work.
 */
export async function openLedger(em: EntityManager, policyId: string, field = 'policy'): Promise<PolicyBook> {
  const policy = await em.findOne(
    Policy,
    { id: policyId, deletedAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!policy) {
    throw new KingaError('policy.not-found', { id: policyId }, { field });
  }
  const members = await em.find(InsureePolicy, { policy, deletedAt: null }, { orderBy: { id: 'asc' } });
  const ledger = await em.find(
    Premium,
    { policy, deletedAt: null },
    { orderBy: { payDate: 'asc', id: 'asc' } },
  );
  holdBook(em, policy);
  return { policy, members, ledger };
}

/** What the book's ledger makes of the policy, without changing anything. */
export function settlementOf(book: PolicyBook, rules: PolicyRules): Settlement {
  const { policy } = book;
  return settle({
    status: policy.status,
    effectiveDate: policy.effectiveDate ?? null,
    startDate: policy.startDate,
    value: policy.value,
    members: book.members.map((m) => ({
      coverThreshold: m.coverThreshold,
      startDate: m.startDate,
      effectiveDate: m.effectiveDate ?? null,
    })),
    ledger: book.ledger.map((entry) => ({ amount: entry.amount, payDate: entry.payDate })),
    activation: rules.activation,
  });
}

/** Settles the book and writes the outcome onto the policy and its members' cover. */
export function settleBook(book: PolicyBook, rules: PolicyRules): Settlement {
  const settlement = settlementOf(book, rules);
  book.policy.settleTo(settlement);
  book.members.forEach((member, index) => {
    const effectiveDate = settlement.memberEffectiveDates[index] ?? null;
    if ((member.effectiveDate ?? null) !== effectiveDate) {
      member.coverFrom(effectiveDate);
    }
  });
  return settlement;
}
