import type { EntityManager } from '@mikro-orm/core';
import { addMoney, compareMoney, negateMoney, ZERO } from '../shared/money.ts';
import { Policy } from '../policy/policy.entity.ts';
import { recordUsage } from '../eligibility/record-usage.ts';
import { UsageEntry } from '../eligibility/usage-entry.entity.ts';
import type { Adjudication } from './adjudicate-claim.ts';
import type { Claim, ClaimLine } from './claim.entity.ts';
import { RejectionReasons } from './rejection-reasons.ts';

/**
 * Writes an adjudication onto the claim and its lines: each line's verdict and valuation steps,
 * the claim's totals and category, and `rejected` (reason 1, openimis.md §2.3) when no line passed.
 * The status after the rules (checked, processed or valuated) is the caller's: it depends on review.
 */
export function writeAdjudication(
  em: EntityManager,
  claim: Claim,
  lines: ClaimLine[],
  result: Adjudication,
): void {
  for (const line of lines) {
    const verdict = result.verdicts.find((v) => v.sequence === line.sequence)!;
    const value = result.valuation.lines.find((v) => v.sequence === line.sequence);
    line.status = verdict.accepted ? 'passed' : 'rejected';
    line.rejectionReason = verdict.accepted ? RejectionReasons.accepted : verdict.reason;
    line.quantityApproved = verdict.accepted ? verdict.quantity : null;
    line.policy = value ? em.getReference(Policy, value.policyId) : null;
    line.productId = value?.productId ?? null;
    line.priceOrigin = value?.priceOrigin ?? null;
    line.limitationType = value?.limitation.type ?? null;
    line.limitationValue = value?.limitation.value ?? null;
    line.ceilingExcluded = value?.ceilingExcluded ?? false;
    line.unitPrice = value?.unitPrice ?? null;
    line.eligible = value?.eligible ?? ZERO;
    line.deductible = value?.deductible ?? ZERO;
    line.copay = value?.copay ?? ZERO;
    line.exceedCategory = value?.exceedCategory ?? ZERO;
    line.exceedCeiling = value?.exceedCeiling ?? ZERO;
    line.benefit = value?.benefit ?? ZERO;
    line.remunerated = null;
  }
  claim.category = result.category;
  claim.approved = result.totals.approved;
  claim.deductible = result.totals.deductible;
  claim.copay = result.totals.copay;
  claim.benefit = result.totals.benefit;
  claim.remunerated = null;
  const anyPassed = result.verdicts.some((v) => v.accepted);
  claim.rejectionReason = anyPassed ? null : RejectionReasons.invalidItemOrService;
  if (!anyPassed) {
    claim.status = 'rejected';
  }
}

/** Whether the claim waits for the relative-pricing batch (a line valued at a relative price). */
export function hasRelativePrices(lines: ClaimLine[]): boolean {
  return lines.some((l) => l.status === 'passed' && l.priceOrigin === 'R');
}

/**
 * Records what the claim used in the usage ledger, one treatment per policy that pays a line, in
 * the claim's transaction (eligibility reads it).
 */
export async function recordClaimUsage(
  em: EntityManager,
  claim: Claim,
  lines: ClaimLine[],
  uses: Adjudication['valuation']['uses'],
): Promise<void> {
  for (const use of uses) {
    const paid = lines.filter((l) => l.status === 'passed' && l.policy?.id === use.policyId);
    await recordUsage(em, {
      insureeId: claim.insuree.id,
      policyId: use.policyId,
      coverId: use.coverId,
      date: claim.dateFrom,
      careSetting: use.careSetting,
      category: claim.category,
      amount: use.counted,
      deductible: use.deductible,
      claimId: claim.id,
      lines: paid.map((l) => ({
        ...(l.kind === 'item' ? { itemId: l.item!.id } : { serviceId: l.service!.id }),
        quantity: l.quantityApproved ?? l.quantity,
        amount: l.benefit,
      })),
    });
  }
}

/**
 * Takes back everything the claim has in the ledger: for each of its entries still counting (net
 * of earlier take-backs), an entry with the opposite quantity and amounts. The ledger stays
 * append-only; a claim reviewed is recorded again afterwards.
 */
export async function takeBackClaimUsage(em: EntityManager, claim: Claim): Promise<void> {
  const entries = await em.find(UsageEntry, { claimId: claim.id }, { orderBy: { createdAt: 'asc' } });
  const net = new Map<string, { entry: UsageEntry; quantity: number; amount: string; deductible: string }>();
  for (const entry of entries) {
    const key = [
      entry.policy.id,
      entry.kind,
      entry.item?.id,
      entry.service?.id,
      entry.category,
      entry.careSetting,
    ].join(' ');
    const sum = net.get(key) ?? { entry, quantity: 0, amount: ZERO, deductible: ZERO };
    sum.quantity += entry.quantity;
    sum.amount = addMoney(sum.amount, entry.amount);
    sum.deductible = addMoney(sum.deductible, entry.deductible);
    net.set(key, sum);
  }
  for (const { entry, quantity, amount, deductible } of net.values()) {
    if (quantity === 0 && compareMoney(amount, ZERO) === 0 && compareMoney(deductible, ZERO) === 0) {
      continue;
    }
    em.create(UsageEntry, {
      insuree: entry.insuree,
      policy: entry.policy,
      kind: entry.kind,
      date: entry.date,
      item: entry.item ?? null,
      service: entry.service ?? null,
      category: entry.category ?? null,
      careSetting: entry.careSetting ?? null,
      quantity: -quantity,
      amount: negateMoney(amount),
      deductible: negateMoney(deductible),
      claimId: claim.id,
    });
  }
}
