import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { compareMoney, subtractMoney, ZERO, type Money } from '../shared/money.ts';
import { addDays, laterOf } from './calendar.ts';
import type { InsureePolicy } from './insuree-policy.entity.ts';
import {
  assertDate,
  findWorkingOfficer,
  insurableMembers,
  issuePolicy,
  type ClaimedFigures,
} from './issue-policy.ts';
import { openBook, settleBook, settlementOf } from './policy-book.ts';
import type { PolicyRules } from './policy-rules.ts';
import type { Settlement } from './policy-settlement.ts';
import type { PolicyValue } from './policy-value.ts';
import { Policy } from './policy.entity.ts';
import { Premium } from './premium.entity.ts';
import { assertProductAvailable } from './product-availability.ts';
import { officerInChargeOn, renewalProductOn } from './renewal-chains.ts';
import { RenewalPrompt } from './renewal-prompt.entity.ts';

export interface RenewalInput {
  /** The renewal's id when the client chose it. */
  id?: string;
  /** The policy being renewed. */
  policyId: string;
  /** The day the family renews: the renewal's enrolment date. */
  renewalDate: IsoDate;
  /** Default: the old policy's officer, or the one now in charge down the substitute chain. */
  officerId?: string | null;
  claimed?: ClaimedFigures;
}

export interface Renewal {
  policy: Policy;
  members: InsureePolicy[];
  value: PolicyValue;
  settlement: Settlement;
  previous: Policy;
  /** The product was replaced by its conversion product. */
  productReplaced: boolean;
  /** Credit moved from the previous policy (0.00 when none). */
  creditCarried: Money;
}

/**
 * Renews a policy: a new policy, stage R, for the family's current active members, starting
 * where the old cover ends (or on the renewal date when renewed late; cycles with the renewal
 * grace), priced without registration fee and with the renewal discount when renewed early.
 *
 * - The product: the old one while on sale on that start, else its conversion chain.
 * - The officer: as given, else the old policy's officer or their substitute.
 * - The old policy's credit moves over as a credit-out / credit-in pair of ledger entries, which
 *   may pay the renewal in full (and so activate it).
 * - A policy is renewed once; a pending renewal prompt for it is marked renewed.
 */
export async function renewPolicy(
  em: EntityManager,
  input: RenewalInput,
  rules: PolicyRules,
): Promise<Renewal> {
  assertDate(input.renewalDate, 'renewalDate');
  const old = await openBook(em, input.policyId);
  const previous = old.policy;
  if (previous.status === 'idle' || previous.status === 'suspended') {
    throw new KingaError('policy.not-renewable', { status: previous.status }, { field: 'policy' });
  }
  const existing = await em.findOne(Policy, { previous, deletedAt: null });
  if (existing) {
    throw new KingaError(
      'policy.already-renewed',
      { id: previous.id, renewal: existing.id },
      { field: 'policy' },
    );
  }
  const family = previous.family;
  await em.populate(family, ['village']);
  const from = laterOf(addDays(previous.expiryDate, 1), input.renewalDate);
  const chosen = await renewalProductOn(em, previous.product, from);
  if (!chosen) {
    throw new KingaError(
      'policy.no-renewal-product',
      { code: previous.product.code, date: from },
      { field: 'product' },
    );
  }
  await assertProductAvailable(em, chosen.product, family, from);
  const officer = input.officerId
    ? await findWorkingOfficer(em, input.officerId, input.renewalDate)
    : (await officerInChargeOn(em, previous.officer, input.renewalDate)).officer;
  const members = await insurableMembers(em, family);
  const { book, value } = issuePolicy(
    em,
    {
      ...(input.id ? { id: input.id } : {}),
      family,
      product: chosen.product,
      officer,
      enrolDate: input.renewalDate,
      previous,
      ...(input.claimed ? { claimed: input.claimed } : {}),
    },
    members,
    rules,
  );

  const credit = settlementOf(old, rules).credit;
  if (compareMoney(credit, ZERO) > 0) {
    const lastPayment = old.ledger.findLast((entry) => entry.isPayment());
    const receipt = `credit:${previous.id}`;
    const common = { receipt, payDate: input.renewalDate, payType: lastPayment?.payType ?? 'C', payer: null };
    const out = em.create(Premium, {
      ...common,
      policy: previous,
      product: previous.product,
      kind: 'credit-out',
      amount: subtractMoney(ZERO, credit),
      counterpart: null,
    });
    const into = em.create(Premium, {
      ...common,
      policy: book.policy,
      product: chosen.product,
      kind: 'credit-in',
      amount: credit,
      counterpart: out,
    });
    out.counterpart = into;
    old.ledger.push(out);
    book.ledger.push(into);
    settleBook(old, rules);
  }
  const settlement = settleBook(book, rules);

  const prompt = await em.findOne(RenewalPrompt, { policy: previous, status: 'pending' });
  if (prompt) {
    prompt.status = 'renewed';
  }
  return {
    policy: book.policy,
    members: book.members,
    value,
    settlement,
    previous,
    productReplaced: chosen.replaced,
    creditCarried: credit,
  };
}
