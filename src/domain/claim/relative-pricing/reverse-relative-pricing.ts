import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../../shared/errors.ts';
import { lockKey } from '../../shared/locks.ts';
import { unpriceClaims } from './price-claims.ts';
import { requirePeriod } from './pricing-period.ts';
import { relativePriceLines } from './relative-price-lines.ts';
import { RelativePricingRun } from './relative-pricing-run.entity.ts';
import { poolsOfRun } from './run-relative-pricing.ts';

export interface ReversalRequest {
  productId: string;
  period: string;
  actor?: string;
}

export interface ReversalResult {
  /** The run, now reversed. */
  run: RelativePricingRun;
  /** Claims whose prices were taken back. */
  claims: number;
}

/**
 * Undoes the run of a product's period, explicitly (a wrong premium corrected, claims entered
 * late): its lines lose their prices, the claims it valuated are processed again, and the run is
 * kept, marked reversed, for the record. The period may then run again. In the caller's
 * transaction, under the product's relative-pricing lock.
 */
export async function reverseRelativePricing(
  em: EntityManager,
  request: ReversalRequest,
  now: Date = new Date(),
): Promise<ReversalResult> {
  const period = requirePeriod(request.period);
  await lockKey(em, `relative-pricing ${request.productId}`);
  const run = await em.findOne(
    RelativePricingRun,
    { product: request.productId, periodCode: period.code, status: 'run' },
    { populate: ['product'] },
  );
  if (!run) {
    throw new KingaError('relative-pricing.run-not-found', { period: period.code }, { field: 'period' });
  }
  const lines = await relativePriceLines(em, run.product, period, poolsOfRun(run), 'priced');
  run.status = 'reversed';
  run.reversedAt = now;
  run.reversedBy = request.actor ?? null;
  await em.flush();
  await unpriceClaims(em, lines);
  return { run, claims: new Set(lines.map((l) => l.claimId)).size };
}
