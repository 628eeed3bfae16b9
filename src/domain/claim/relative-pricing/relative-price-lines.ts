import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../../shared/dates.ts';
import { addMoney, ZERO, type Money } from '../../shared/money.ts';
import type { Organisation } from '../../organisation/organisation.entity.ts';
import type { Product } from '../../product/product.entity.ts';
import { careSettingOf } from '../value-claim-lines.ts';
import type { PricingPeriod, PricingPool } from './pricing-period.ts';

/** A relative-price line of a claim, with what places it in a pool. */
export interface RelativePriceLine {
  id: string;
  claimId: string;
  /** Its value at the nominal price: what the scheme pays before the index. */
  benefit: Money;
  pool: PricingPool;
}

interface LineRow {
  id: string;
  claim_id: string;
  benefit: string;
  date_from: IsoDate;
  date_to: IsoDate | null;
  level: Organisation['level'];
  care_type: Organisation['careType'];
}

/**
 * The accepted relative-price lines paid by `product` of the claims treated (dateFrom) in the
 * period, in the pools priced: `pending` the lines of processed claims still without a price
 * (what a run prices), else the lines already priced (what a reversal takes back). A line's pool
 * is its claim's care setting under the product's ceiling interpretation, as its valuation used.
 * One query over the claim (status, date_from) index, lean rows: a month of a large scheme's claims.
 */
export async function relativePriceLines(
  em: EntityManager,
  product: Product,
  period: PricingPeriod,
  pools: readonly PricingPool[],
  which: 'pending' | 'priced',
): Promise<RelativePriceLine[]> {
  const filter =
    which === 'pending'
      ? `c.status = 'processed' and l.remunerated is null`
      : `c.status in ('processed', 'valuated') and l.remunerated is not null`;
  const rows: LineRow[] = await em.getConnection().execute(
    `select l.id, l.claim_id, l.benefit::text as benefit,
            to_char(c.date_from, 'YYYY-MM-DD') as date_from, to_char(c.date_to, 'YYYY-MM-DD') as date_to,
            f.level, f.care_type
       from claim c
       join claim_line l on l.claim_id = c.id
       join organisation f on f.id = c.facility_id
      where c.deleted_at is null and c.date_from >= ? and c.date_from <= ? and ${filter}
        and l.product_id = ? and l.price_origin = 'R' and l.status = 'passed'
      order by c.id, l.sequence`,
    [period.start, period.end, product.id],
    'all',
    em.getTransactionContext(),
  );
  const lines: RelativePriceLine[] = [];
  for (const row of rows) {
    const pool: PricingPool = pools.includes('general')
      ? 'general'
      : careSettingOf(product, {
          dateFrom: row.date_from,
          dateTo: row.date_to,
          facility: { level: row.level, careType: row.care_type },
        });
    if (pools.includes(pool)) {
      lines.push({ id: row.id, claimId: row.claim_id, benefit: row.benefit, pool });
    }
  }
  return lines;
}

/** Σ benefit of the lines of `pool`. */
export function nominalOf(lines: readonly RelativePriceLine[], pool: PricingPool): Money {
  return lines.filter((l) => l.pool === pool).reduce((sum, l) => addMoney(sum, l.benefit), ZERO);
}

/** The claims the lines belong to, each once, in order. */
export function claimIdsOf(lines: readonly RelativePriceLine[]): string[] {
  return [...new Set(lines.map((l) => l.claimId))];
}
