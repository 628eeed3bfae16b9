import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../../shared/dates.ts';
import { fromMinor, toMinor, type Money } from '../../shared/money.ts';
import { laterOf } from '../../policy/calendar.ts';
import { daysIncluded, type PricingPeriod } from './pricing-period.ts';

/** What one policy paid, and the cover it paid for. */
export interface PaidCover {
  startDate: IsoDate;
  /** The last day of cover, included. */
  expiryDate: IsoDate;
  /** Net of reversals and credit transfers. */
  paid: Money;
}

const earlierOf = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);

/**
 * The contributions a period earned (openimis.md §2.3 "Relative pricing"): each policy's premiums
 * spread evenly over its days of cover, the days within the period counted, times the share of
 * the distribution (`percent`). Summed as exact fractions (bigint) and rounded once, half up, to
 * the cent: a million policies add no rounding drift. 3 650.00 paid for 2025-01-01..2025-12-31
 * (365 days) earns June (30 days) 3 650.00 × 30 / 365 = 300.00.
 */
export function allocatedContributions(
  covers: readonly PaidCover[],
  period: PricingPeriod,
  percent: string,
): Money {
  let numerator = 0n;
  let denominator = 1n;
  for (const cover of covers) {
    const paid = toMinor(cover.paid);
    const total = daysIncluded(cover.startDate, cover.expiryDate);
    const within = daysIncluded(
      laterOf(cover.startDate, period.start),
      earlierOf(cover.expiryDate, period.end),
    );
    if (paid <= 0n || total === 0 || within === 0) {
      continue;
    }
    // numerator / denominator + paid × within / total
    const d = BigInt(total);
    numerator = numerator * d + paid * BigInt(within) * denominator;
    denominator *= d;
    const common = gcd(numerator, denominator);
    numerator /= common;
    denominator /= common;
  }
  const [whole = '0', fraction = ''] = percent.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const share = BigInt(whole) * scale + BigInt(fraction || '0');
  const n = numerator * share;
  const d = denominator * 100n * scale;
  return fromMinor((2n * n + d) / (2n * d));
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) {
    [x, y] = [y, x % y];
  }
  return x === 0n ? 1n : x;
}

/**
 * The paid cover of every live policy of the product that overlaps the period: its premium ledger
 * (payments less reversals, credits in less credits out) as it stood at the period's end, so that
 * a period's contributions are what was known when it closed and a late payment does not change a
 * period already priced.
 */
export async function paidCoversOf(
  em: EntityManager,
  productId: string,
  period: PricingPeriod,
): Promise<PaidCover[]> {
  const rows: { start_date: string; expiry_date: string; paid: string }[] = await em.getConnection().execute(
    `select to_char(p.start_date, 'YYYY-MM-DD') as start_date,
              to_char(p.expiry_date, 'YYYY-MM-DD') as expiry_date,
              sum(pr.amount)::text as paid
         from policy p
         join premium pr on pr.policy_id = p.id and pr.deleted_at is null and pr.pay_date <= ?
        where p.product_id = ? and p.deleted_at is null and p.start_date <= ? and p.expiry_date >= ?
        group by p.id`,
    [period.end, productId, period.end, period.start],
    'all',
    em.getTransactionContext(),
  );
  return rows.map((r) => ({ startDate: r.start_date, expiryDate: r.expiry_date, paid: r.paid }));
}
