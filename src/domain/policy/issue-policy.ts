import type { EntityManager } from '@mikro-orm/core';
import { isIsoDate, type IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { compareMoney, isMoney, type Money } from '../shared/money.ts';
import type { Family } from '../insuree/family.entity.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { Officer } from '../officer/officer.entity.ts';
import type { Product } from '../product/product.entity.ts';
import { InsureePolicy } from './insuree-policy.entity.ts';
import type { PolicyBook } from './policy-book.ts';
import { policyExpiryDate, policyStartDate } from './policy-dates.ts';
import type { PolicyRules } from './policy-rules.ts';
import { policyValue, type PolicyValue } from './policy-value.ts';
import { Policy } from './policy.entity.ts';

/** Figures a client computed itself (an enrolment app, an openIMIS Contract): checked, never trusted. */
export interface ClaimedFigures {
  value?: Money;
  startDate?: IsoDate;
  expiryDate?: IsoDate;
}

export interface PolicyTerms {
  id?: string;
  family: Family;
  product: Product;
  officer: Officer | null;
  enrolDate: IsoDate;
  previous: Policy | null;
  claimed?: ClaimedFigures;
}

export function assertDate(date: string, field: string): void {
  if (!isIsoDate(date)) {
    throw new KingaError('policy.date-invalid', { field, date }, { field });
  }
}

/** A live enrolment officer who works on `date`. */
export async function findWorkingOfficer(
  em: EntityManager,
  id: string,
  date: IsoDate,
  field = 'officer',
): Promise<Officer> {
  const officer = await em.findOne(Officer, { id, deletedAt: null });
  if (!officer) {
    throw new KingaError('policy.officer-not-found', { id }, { field });
  }
  if (!officer.isEnrolmentOfficer() || !officer.worksOn(date)) {
    throw new KingaError('policy.officer-unavailable', { code: officer.code, date }, { field });
  }
  return officer;
}

/** The members a policy insures: the family's live members who are active (not inactive or deceased). */
export async function insurableMembers(em: EntityManager, family: Family): Promise<Insuree[]> {
  const members = await em.find(
    Insuree,
    { family, deletedAt: null, status: 'AC' },
    { orderBy: { id: 'asc' } },
  );
  if (members.length === 0) {
    throw new KingaError('policy.no-members', {}, { field: 'family' });
  }
  return members;
}

/**
 * Writes a new policy (stage N without `previous`, R with it) with the server's dates and value
 * and one InsureePolicy per member, all founding members sharing the value as cover threshold.
 * The caller settles the book (a free policy, or one a credit pays, activates at once).
 */
export function issuePolicy(
  em: EntityManager,
  terms: PolicyTerms,
  members: readonly Insuree[],
  rules: PolicyRules,
): { book: PolicyBook; value: PolicyValue } {
  const { product, previous } = terms;
  const startDate = previous
    ? policyStartDate(product, {
        stage: 'R',
        enrolDate: terms.enrolDate,
        previousExpiryDate: previous.expiryDate,
      })
    : policyStartDate(product, { stage: 'N', enrolDate: terms.enrolDate });
  const expiryDate = policyExpiryDate(product, startDate);
  const value = policyValue(product, members, {
    stage: previous ? 'R' : 'N',
    enrolDate: terms.enrolDate,
    startDate,
    previousExpiryDate: previous?.expiryDate ?? null,
    ageOfMajority: rules.ageOfMajority,
  });
  assertClaimed(terms.claimed, { value: value.value, startDate, expiryDate });

  const policy = em.create(Policy, {
    ...(terms.id ? { id: terms.id } : {}),
    family: terms.family,
    product,
    officer: terms.officer,
    stage: previous ? 'R' : 'N',
    status: 'idle',
    value: value.value,
    enrolDate: terms.enrolDate,
    startDate,
    effectiveDate: null,
    expiryDate,
    previous,
  });
  const covers = members.map((insuree) =>
    em.create(InsureePolicy, {
      insuree,
      policy,
      enrolDate: terms.enrolDate,
      startDate,
      effectiveDate: null,
      expiryDate,
      coverThreshold: value.value,
    }),
  );
  return { book: { policy, members: covers, ledger: [] }, value };
}

function assertClaimed(
  claimed: ClaimedFigures | undefined,
  computed: { value: Money; startDate: IsoDate; expiryDate: IsoDate },
): void {
  if (!claimed) {
    return;
  }
  if (
    claimed.value !== undefined &&
    (!isMoney(claimed.value) || compareMoney(claimed.value, computed.value) !== 0)
  ) {
    throw new KingaError(
      'policy.claimed-value-differs',
      { claimed: claimed.value, computed: computed.value },
      { field: 'value' },
    );
  }
  for (const field of ['startDate', 'expiryDate'] as const) {
    const given = claimed[field];
    if (given !== undefined && given !== computed[field]) {
      throw new KingaError(
        'policy.claimed-date-differs',
        { field, claimed: given, computed: computed[field] },
        { field },
      );
    }
  }
}
