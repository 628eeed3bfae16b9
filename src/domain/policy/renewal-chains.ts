import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import type { Officer } from '../officer/officer.entity.ts';
import type { Product } from '../product/product.entity.ts';

/**
 * The product a renewal is sold under on `date`: the product itself while it is on sale, else
 * the first product of its conversion chain that is (openimis.md §1.3 conversion_product).
 * Undefined when the chain ends, or loops, without one.
 */
export async function renewalProductOn(
  em: EntityManager,
  product: Product,
  date: IsoDate,
): Promise<{ product: Product; replaced: boolean } | undefined> {
  const seen = new Set<string>();
  let candidate: Product | null | undefined = product;
  while (candidate && !seen.has(candidate.id)) {
    seen.add(candidate.id);
    if (candidate.isOnSaleOn(date)) {
      return { product: candidate, replaced: candidate.id !== product.id };
    }
    await em.populate(candidate, ['conversionProduct']);
    candidate = candidate.conversionProduct ?? null;
  }
  return undefined;
}

/**
 * The enrolment officer in charge of a family on `date`: its officer while they still work,
 * else the first working enrolment officer down the substitute chain; null when there is none.
 */
export async function officerInChargeOn(
  em: EntityManager,
  officer: Officer | null | undefined,
  date: IsoDate,
): Promise<{ officer: Officer | null; replaced: boolean }> {
  const seen = new Set<string>();
  let candidate: Officer | null | undefined = officer;
  while (candidate && !seen.has(candidate.id)) {
    seen.add(candidate.id);
    await em.populate(candidate, ['substitute']);
    if (candidate.isEnrolmentOfficer() && candidate.worksOn(date)) {
      return { officer: candidate, replaced: candidate.id !== officer?.id };
    }
    candidate = candidate.substitute ?? null;
  }
  return { officer: null, replaced: officer != null };
}
