import type { EntityManager } from '@mikro-orm/core';
import { Family } from '../domain/insuree/family.entity.ts';
import { Insuree } from '../domain/insuree/insuree.entity.ts';
import { Location } from '../domain/location/location.entity.ts';
import { Officer } from '../domain/officer/officer.entity.ts';
import { Organisation } from '../domain/organisation/organisation.entity.ts';
import { InsureePolicy } from '../domain/policy/insuree-policy.entity.ts';
import { settleBook } from '../domain/policy/policy-book.ts';
import { paymentDeadline } from '../domain/policy/policy-dates.ts';
import type { PolicyRules } from '../domain/policy/policy-rules.ts';
import { Policy } from '../domain/policy/policy.entity.ts';
import { Premium } from '../domain/policy/premium.entity.ts';
import { Product } from '../domain/product/product.entity.ts';
import type { IsoDate } from '../domain/shared/dates.ts';
import { inTransaction, type WriteContext } from '../platform/database/unit-of-work.ts';
import type { FamilyPlan } from './families.ts';
import type { PolicyPlan } from './policies.ts';

/** A drawn family with where it lives, the facility it registered with, and its policies. */
export interface Household {
  plan: FamilyPlan;
  villageId: string;
  firstServicePointId: string;
  policies: PolicyPlan[];
}

/** The scheme's settings and the day the policies' statuses are taken on. */
export interface PolicyContext {
  rules: PolicyRules;
  today: IsoDate;
}

/**
 * Registers a batch of households in one transaction: members join through Family.admit and the
 * head through Family.makeHead, as the registers' own use cases do. Villages and facilities are
 * referenced by id: the seed drew them, so they are a village and health facilities.
 *
 * Family and members reference each other. While insuree.family_id is an immediate foreign key,
 * the flush inserts the members without their family and updates them one by one afterwards, so
 * they are published as version 2 (and the batch is slower); a deferred key lets both go in as
 * inserted, at version 1.
 *
 * Policies go in the same transaction, as issuePolicy and recordPremium leave them but without a
 * query per family: the policy with its drawn dates and value, a cover per member whose threshold
 * is the value, the premiums, then settleBook (the allocation every premium goes through) sets
 * status and effective dates. What the scheduled jobs would have done by `today` is done too:
 * a policy past its expiry is expired, an unpaid one past its payment grace period suspended.
 */
export async function writeFamilies(
  em: EntityManager,
  context: WriteContext,
  households: Household[],
  policies: PolicyContext,
): Promise<void> {
  await inTransaction(em, context, async (tx) => {
    const renewals: (() => void)[] = [];
    for (const { plan, villageId, firstServicePointId, policies: policyPlans } of households) {
      const village = tx.getReference(Location, villageId);
      const facility = tx.getReference(Organisation, firstServicePointId);
      const family = tx.create(Family, { id: plan.id, village, type: plan.type, poverty: plan.poverty });
      const members: Insuree[] = [];
      for (const [index, member] of plan.members.entries()) {
        const insuree = tx.create(Insuree, { ...member, village, firstServicePoint: facility });
        family.admit(insuree);
        if (index === 0) {
          family.makeHead(insuree);
        }
        members.push(insuree);
      }
      const written = new Map<string, Policy>();
      for (const policy of policyPlans) {
        const write = () => {
          const previous = policy.previousId ? written.get(policy.previousId)! : null;
          written.set(policy.id, writePolicy(tx, family, members, previous, policy, policies));
        };
        if (policy.previousId) {
          renewals.push(write);
        } else {
          write();
        }
      }
    }
    // Policy.previous is an immediate foreign key: written in the same flush as the policy it
    // renews, a renewal would be inserted without it and updated (published as version 2).
    if (renewals.length > 0) {
      await tx.flush();
      renewals.forEach((write) => write());
    }
  });
}

function writePolicy(
  tx: EntityManager,
  family: Family,
  members: readonly Insuree[],
  previous: Policy | null,
  plan: PolicyPlan,
  { rules, today }: PolicyContext,
): Policy {
  const product = tx.getReference(Product, plan.product.id);
  const policy = tx.create(Policy, {
    id: plan.id,
    family,
    product,
    officer: plan.officerId ? tx.getReference(Officer, plan.officerId) : null,
    stage: plan.stage,
    status: 'idle',
    value: plan.value,
    enrolDate: plan.enrolDate,
    startDate: plan.startDate,
    effectiveDate: null,
    expiryDate: plan.expiryDate,
    previous,
  });
  const covers = members.map((insuree, index) =>
    tx.create(InsureePolicy, {
      id: plan.coverIds[index]!,
      insuree,
      policy,
      enrolDate: plan.enrolDate,
      startDate: plan.startDate,
      effectiveDate: null,
      expiryDate: plan.expiryDate,
      coverThreshold: plan.value,
    }),
  );
  const ledger = plan.premiums.map((premium) =>
    tx.create(Premium, { ...premium, policy, product, kind: 'payment', counterpart: null }),
  );
  settleBook({ policy, members: covers, ledger }, rules);
  if (policy.expiryDate < today) {
    policy.settleTo({ status: 'expired', effectiveDate: policy.effectiveDate ?? null });
  } else if (policy.status === 'idle' && paymentDeadline(plan.product, policy.startDate) < today) {
    policy.settleTo({ status: 'suspended', effectiveDate: null });
  }
  return policy;
}
