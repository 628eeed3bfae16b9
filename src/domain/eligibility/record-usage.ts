import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { isMoney, normaliseMoney, type Money } from '../shared/money.ts';
import { MedicalItem } from '../medical/medical-item.entity.ts';
import { MedicalService, type ServiceCategory } from '../medical/medical-service.entity.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { InsureePolicy } from '../policy/insuree-policy.entity.ts';
import { Policy } from '../policy/policy.entity.ts';
import { UsageEntry, type CareSetting } from './usage-entry.entity.ts';

/** One line of a treatment: an item or a service (ids), how many, what the scheme paid for it. */
export interface UsageLine {
  itemId?: string;
  serviceId?: string;
  quantity: number;
  amount?: Money;
}

/** What one treatment (a claim, once adjudicated) used of an insuree's cover under a policy. */
export interface TreatmentUsage {
  insureeId: string;
  policyId: string;
  date: IsoDate;
  careSetting: CareSetting;
  /** The claim's service category, counted once against the product's category limits. */
  category?: ServiceCategory | null;
  /** What the scheme paid for the whole treatment. */
  amount: Money;
  deductible?: Money;
  claimId?: string | null;
  /**
   * The member's cover under the policy, when the caller has read it already (claim adjudication
   * has): the membership is then not looked up again.
   */
  coverId?: string;
  /** A claim taken back: the treatment counts −1 (its lines carry negative quantities). */
  reversal?: boolean;
  lines: UsageLine[];
}

/**
 * Records a treatment in the usage ledger: one treatment row and a row per line. Claim
 * adjudication calls it inside the claim's transaction, so the ledger moves with the claim; a
 * reversal records the same usage with negative quantities and amounts. The insuree must be a
 * member of the policy.
 */
export async function recordUsage(em: EntityManager, usage: TreatmentUsage): Promise<UsageEntry[]> {
  const cover = usage.coverId
    ? { insuree: em.getReference(Insuree, usage.insureeId), policy: em.getReference(Policy, usage.policyId) }
    : await em.findOne(InsureePolicy, { insuree: usage.insureeId, policy: usage.policyId, deletedAt: null });
  if (!cover) {
    throw new KingaError(
      'usage.policy-not-covering',
      { insuree: usage.insureeId, policy: usage.policyId },
      { field: 'policy' },
    );
  }
  const common = {
    insuree: cover.insuree,
    policy: cover.policy,
    date: usage.date,
    claimId: usage.claimId ?? null,
  };
  const entries = [
    em.create(UsageEntry, {
      ...common,
      kind: 'treatment',
      category: usage.category ?? null,
      careSetting: usage.careSetting,
      quantity: usage.reversal ? -1 : 1,
      amount: amountOf(usage.amount),
      deductible: amountOf(usage.deductible ?? '0'),
    }),
  ];
  for (const line of usage.lines) {
    if (!line.itemId === !line.serviceId) {
      throw new KingaError('usage.line-target', {}, { field: 'lines' });
    }
    if (!Number.isInteger(line.quantity)) {
      throw new KingaError('usage.quantity-invalid', { quantity: line.quantity }, { field: 'lines' });
    }
    entries.push(
      em.create(UsageEntry, {
        ...common,
        kind: line.itemId ? 'item' : 'service',
        item: line.itemId ? em.getReference(MedicalItem, line.itemId) : null,
        service: line.serviceId ? em.getReference(MedicalService, line.serviceId) : null,
        careSetting: usage.careSetting,
        quantity: line.quantity,
        amount: amountOf(line.amount ?? '0'),
      }),
    );
  }
  return entries;
}

function amountOf(value: Money): Money {
  if (!isMoney(value)) {
    throw new KingaError('usage.amount-invalid', { amount: value }, { field: 'amount' });
  }
  return normaliseMoney(value);
}
