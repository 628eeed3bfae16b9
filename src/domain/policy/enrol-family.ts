import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { findLiveFamily } from '../insuree/insuree.repository.ts';
import type { InsureePolicy } from './insuree-policy.entity.ts';
import {
  assertDate,
  findWorkingOfficer,
  insurableMembers,
  issuePolicy,
  type ClaimedFigures,
} from './issue-policy.ts';
import { settleBook } from './policy-book.ts';
import type { PolicyRules } from './policy-rules.ts';
import type { Settlement } from './policy-settlement.ts';
import type { PolicyValue } from './policy-value.ts';
import type { Policy } from './policy.entity.ts';
import { assertProductAvailable, findLiveProduct } from './product-availability.ts';

export interface EnrolmentInput {
  /** The policy's id when the client chose it (offline enrolment, FHIR create with a known id). */
  id?: string;
  familyId: string;
  productId: string;
  /** The enrolment officer; none for self-enrolment (e.g. through mobile money). */
  officerId?: string | null;
  enrolDate: IsoDate;
  claimed?: ClaimedFigures;
}

export interface Enrolment {
  policy: Policy;
  /** One per insured member, in member order. */
  members: InsureePolicy[];
  /** How the value was reached. */
  value: PolicyValue;
  /** Balance (the whole value until a premium is recorded), status (active at once when free). */
  settlement: Settlement;
}

/**
 * Enrols a family under a product (a new policy, stage N): the product must be on sale on the
 * enrolment date and sold where the family lives, the officer an enrolment officer at work that
 * day. The server computes start, expiry and value; a family larger than the product allows is
 * refused. Every active member gets cover, effective once the premium is paid (recordPremium).
 */
export async function enrolFamily(
  em: EntityManager,
  input: EnrolmentInput,
  rules: PolicyRules,
): Promise<Enrolment> {
  assertDate(input.enrolDate, 'enrolDate');
  const family = await findLiveFamily(em, input.familyId, 'family');
  await em.populate(family, ['village']);
  const product = await findLiveProduct(em, input.productId);
  await assertProductAvailable(em, product, family, input.enrolDate);
  const officer = input.officerId ? await findWorkingOfficer(em, input.officerId, input.enrolDate) : null;
  const members = await insurableMembers(em, family);
  const { book, value } = issuePolicy(
    em,
    {
      ...(input.id ? { id: input.id } : {}),
      family,
      product,
      officer,
      enrolDate: input.enrolDate,
      previous: null,
      ...(input.claimed ? { claimed: input.claimed } : {}),
    },
    members,
    rules,
  );
  const settlement = settleBook(book, rules);
  return { policy: book.policy, members: book.members, value, settlement };
}
