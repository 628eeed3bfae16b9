import type { EntityManager } from '@mikro-orm/core';
import { addMoney, multiplyByRatio, ZERO } from '../../shared/money.ts';
import { touch } from '../../shared/record.ts';
import { Claim } from '../claim.entity.ts';
import { hasRelativePrices } from '../record-adjudication.ts';
import type { PricingPool } from './pricing-period.ts';
import { claimIdsOf, type RelativePriceLine } from './relative-price-lines.ts';

/** Claims loaded, changed and flushed at a time: a month of claims is never all in memory. */
const CHUNK = 500;

/**
 * Works through the claims of `lines` a chunk at a time, in the caller's transaction: `change`
 * edits a claim; the flush republishes each claim's ClaimResponse (a new version, the earlier
 * ones kept in its history); the identity map is then cleared.
 */
async function inChunks(
  em: EntityManager,
  lines: readonly RelativePriceLine[],
  change: (claim: Claim, chosen: Set<string>) => void,
): Promise<void> {
  const chosen = new Set(lines.map((l) => l.id));
  const ids = claimIdsOf(lines);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const claims = await em.find(Claim, { id: { $in: ids.slice(i, i + CHUNK) } }, { populate: ['lines'] });
    for (const claim of claims) {
      change(claim, chosen);
      // The lines changed, perhaps not the claim's own columns: its ClaimResponse shows them.
      touch(claim);
    }
    await em.flush();
    em.clear();
  }
}

/**
 * Prices the relative-price lines at the index of their pool (benefit × index, half up to the
 * cent). A claim whose relative-price lines are all priced is valuated: its other accepted lines
 * are paid their benefit, the claim the sum, linked to the run (openimis.md §2.3, batch run). A
 * claim with a line of another product still waiting stays processed until that product's run.
 */
export async function priceClaims(
  em: EntityManager,
  lines: readonly RelativePriceLine[],
  indexOf: (pool: PricingPool) => string,
  runId: string,
  now: Date,
): Promise<void> {
  const poolOf = new Map(lines.map((l) => [l.id, l.pool]));
  await inChunks(em, lines, (claim, chosen) => {
    const claimLines = claim.orderedLines();
    for (const line of claimLines) {
      if (chosen.has(line.id)) {
        line.remunerated = multiplyByRatio(line.benefit, indexOf(poolOf.get(line.id)!));
      }
    }
    const waiting = claimLines.some((l) => l.isAccepted() && l.priceOrigin === 'R' && l.remunerated == null);
    if (waiting) {
      return;
    }
    let paid = ZERO;
    for (const line of claimLines) {
      if (line.isAccepted()) {
        line.remunerated ??= line.benefit;
        paid = addMoney(paid, line.remunerated);
      }
    }
    claim.status = 'valuated';
    claim.remunerated = paid;
    claim.valuatedAt = now;
    claim.batchRun = runId;
  });
}

/**
 * Takes back the prices of a reversed run: its lines lose their price, and a claim it valuated is
 * processed again as approval left it (nothing paid; openimis.md §1.4 status 8), waiting for the
 * period to be priced again.
 */
export async function unpriceClaims(em: EntityManager, lines: readonly RelativePriceLine[]): Promise<void> {
  await inChunks(em, lines, (claim, chosen) => {
    const claimLines = claim.orderedLines();
    for (const line of claimLines) {
      if (chosen.has(line.id)) {
        line.remunerated = null;
      }
    }
    if (claim.status === 'valuated' && hasRelativePrices(claimLines)) {
      for (const line of claimLines) {
        if (line.priceOrigin !== 'R') {
          line.remunerated = null;
        }
      }
      claim.status = 'processed';
      claim.remunerated = null;
      claim.valuatedAt = null;
      claim.batchRun = null;
    }
  });
}
