import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../../shared/dates.ts';
import { KingaError } from '../../shared/errors.ts';
import { lockKey } from '../../shared/locks.ts';
import { addMoney } from '../../shared/money.ts';
import { Product } from '../../product/product.entity.ts';
import { allocatedContributions, paidCoversOf } from './allocated-contributions.ts';
import { priceClaims } from './price-claims.ts';
import {
  distributionPercent,
  poolsFor,
  requirePeriod,
  type PricingPeriod,
  type PricingPool,
} from './pricing-period.ts';
import { claimIdsOf, nominalOf, relativePriceLines } from './relative-price-lines.ts';
import { relativeIndex } from './relative-index.ts';
import { RelativePricingRun } from './relative-pricing-run.entity.ts';

export interface RelativePricingRequest {
  productId: string;
  /** 2026-11, 2026-Q4 (or 2026Q4), 2026. */
  period: string;
  /** The scheme's today: a period is priced once it has ended. */
  today: IsoDate;
  actor?: string;
}

export interface RelativePricingResult {
  run: RelativePricingRun;
  /** False when the period had already run: that run is the answer, nothing changed. */
  created: boolean;
}

const indexColumn = {
  general: 'indexGeneral',
  I: 'indexInPatient',
  O: 'indexOutPatient',
} as const satisfies Record<PricingPool, keyof RelativePricingRun>;

/**
 * The relative-pricing batch of one product for one period (openimis.md §2.3): the contributions
 * the period earned (allocated-contributions.ts) against the nominal value of the relative-price
 * lines of the processed claims treated in it give an index per pool; each line is paid its
 * benefit × index and the claims valuated, in the caller's transaction.
 *
 * A period runs once: asked again, the existing run is the answer and nothing changes; to run it
 * again, reverse it first (reverse-relative-pricing.ts). Runs of a product queue on a lock, so two
 * at once (the monthly job and an operator) cannot both price the period.
 *
 * Per product, not per region: a regional product's policies and claims are already its region's,
 * and splitting a national product by region would need the facilities' and the families' regions
 * to agree, which nothing guarantees.
 */
export async function runRelativePricing(
  em: EntityManager,
  request: RelativePricingRequest,
  now: Date = new Date(),
): Promise<RelativePricingResult> {
  const period = requirePeriod(request.period);
  await lockKey(em, `relative-pricing ${request.productId}`);
  const product = await em.findOne(Product, { id: request.productId });
  if (!product) {
    throw new KingaError('relative-pricing.product-not-found', { id: request.productId });
  }
  const existing = await em.findOne(RelativePricingRun, {
    product,
    periodCode: period.code,
    status: 'run',
  });
  if (existing) {
    return { run: existing, created: false };
  }
  const pools = poolsFor(product, period.kind);
  if (pools.length === 0) {
    throw new KingaError(
      'relative-pricing.not-priced',
      { product: product.code, period: period.code, periods: periodsOf(product) },
      { field: 'period' },
    );
  }
  if (period.end >= request.today) {
    throw new KingaError(
      'relative-pricing.period-open',
      { period: period.code, end: period.end },
      { field: 'period' },
    );
  }
  await assertNoOverlap(em, product, period, pools);

  const percent = distributionPercent(product, period);
  const contributions = allocatedContributions(await paidCoversOf(em, product.id, period), period, percent);
  const lines = await relativePriceLines(em, product, period, pools, 'pending');
  const indexes = new Map(pools.map((pool) => [pool, relativeIndex(contributions, nominalOf(lines, pool))]));
  const run = em.create(RelativePricingRun, {
    product,
    periodCode: period.code,
    periodKind: period.kind,
    periodStart: period.start,
    periodEnd: period.end,
    status: 'run',
    distributionPercent: percent,
    contributions,
    nominal: addMoney(...pools.map((pool) => nominalOf(lines, pool))),
    indexGeneral: indexes.get('general') ?? null,
    indexInPatient: indexes.get('I') ?? null,
    indexOutPatient: indexes.get('O') ?? null,
    claims: claimIdsOf(lines).length,
    lines: lines.length,
    runBy: request.actor ?? null,
  } as RelativePricingRun);
  await em.flush();
  await priceClaims(em, lines, (pool) => indexes.get(pool)!, run.id, now);
  return { run, created: true };
}

/** The pools a run priced: those with an index. */
export function poolsOfRun(run: RelativePricingRun): PricingPool[] {
  return (Object.keys(indexColumn) as PricingPool[]).filter((pool) => run[indexColumn[pool]] != null);
}

/**
 * Another live run of the product over some of the same days and lines (its period length was
 * changed, e.g. monthly runs and now a quarter) would price lines twice or take back another
 * run's prices on reversal: refused until that run is reversed.
 */
async function assertNoOverlap(
  em: EntityManager,
  product: Product,
  period: PricingPeriod,
  pools: PricingPool[],
): Promise<void> {
  const others = await em.find(RelativePricingRun, {
    product,
    status: 'run',
    periodStart: { $lte: period.end },
    periodEnd: { $gte: period.start },
  });
  for (const other of others) {
    const theirs = poolsOfRun(other);
    const shared = theirs.some(
      (pool) => pool === 'general' || pools.includes('general') || pools.includes(pool),
    );
    if (shared) {
      throw new KingaError(
        'relative-pricing.period-overlaps',
        { period: period.code, other: other.periodCode },
        { field: 'period' },
      );
    }
  }
}

function periodsOf(product: Product): string {
  const named = [
    ['all care', product.relativePricingPeriod],
    ['in-patient care', product.relativePricingPeriodInPatient],
    ['out-patient care', product.relativePricingPeriodOutPatient],
  ].filter(([, kind]) => kind != null);
  return named.length === 0 ? 'none' : named.map(([what, kind]) => `${kind} for ${what}`).join(', ');
}
