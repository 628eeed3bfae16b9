import { Product } from '../../domain/product/product.entity.ts';
import { monthBefore, periodsEndingWith } from '../../domain/claim/relative-pricing/pricing-period.ts';
import { runRelativePricing } from '../../domain/claim/relative-pricing/run-relative-pricing.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import type { Config } from '../config/config.ts';
import { inTransaction } from '../database/unit-of-work.ts';
import type { PolicySweepData } from './expire-policies.job.ts';
import type { ScheduledJob } from './job-service.ts';
import { todayIn } from './scheme-today.ts';

const ACTOR = 'job:relative-pricing';

/**
 * Monthly: the relative-pricing batch of every product with relative prices, for the periods that
 * ended with the previous month (its month; its quarter at the end of March, June, September and
 * December; its year in January). Each product's period in its own transaction. A period already
 * run is left as it is, so a retried or repeated job changes nothing; a product that cannot be
 * priced (a distribution without the period's share) is logged and the others go on.
 */
export function relativePricingJob(config: Config): ScheduledJob<PolicySweepData> {
  return {
    name: 'relative-pricing',
    cron: config.RELATIVE_PRICING_CRON,
    async run(data, { orm, log }) {
      const today = data.today ?? todayIn(config.SCHEME_TIME_ZONE);
      const month = monthBefore(today);
      // Retired products too: their policies run on, and so do their claims.
      const products = await orm.em.fork().find(
        Product,
        {
          dateFrom: { $lte: month.end },
          $or: [
            { relativePricingPeriod: { $ne: null } },
            { relativePricingPeriodInPatient: { $ne: null } },
            { relativePricingPeriodOutPatient: { $ne: null } },
          ],
        },
        { orderBy: { id: 'asc' } },
      );
      let ran = 0;
      let already = 0;
      const refused: { product: string; period: string; error: string }[] = [];
      for (const product of products) {
        for (const period of periodsEndingWith(product, month)) {
          try {
            const { created } = await inTransaction(orm.em.fork(), { actor: ACTOR }, (tx) =>
              runRelativePricing(tx, { productId: product.id, period: period.code, today, actor: ACTOR }),
            );
            if (created) {
              ran += 1;
            } else {
              already += 1;
            }
          } catch (error) {
            if (!(error instanceof KingaError)) {
              throw error;
            }
            log.warn({ product: product.code, period: period.code, code: error.code }, error.message);
            refused.push({ product: product.code, period: period.code, error: error.code });
          }
        }
      }
      return { today, month: month.code, ran, already, refused };
    },
  };
}
