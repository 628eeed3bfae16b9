import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import type { Insuree } from '../insuree/insuree.entity.ts';
import { facilityPrice, type FacilityPrice } from '../medical/facility-price.ts';
import type { Organisation } from '../organisation/organisation.entity.ts';
import { addDays } from '../policy/calendar.ts';
import { InsureePolicy } from '../policy/insuree-policy.entity.ts';
import { isAdultOn } from '../policy/policy-dates.ts';
import { ProductCoverage } from '../product/product-coverage.entity.ts';
import { amountBenefits, countBenefits, gridBenefits } from './benefit-limits.ts';
import { standingOn } from './cover-standing.ts';
import type { EligibilityAssessment, InsuranceAnswer } from './eligibility-result.ts';
import { answerRequested, type RequestedTarget } from './requested-answer.ts';
import { UsageEntry } from './usage-entry.entity.ts';

export interface EligibilityQuestion {
  insuree: Insuree;
  date: IsoDate;
  /** Restricts the answer to what this facility provides (its price lists and care type). */
  facility: Organisation | null;
  requested: RequestedTarget[];
}

/** Covers listed besides those in force: ended within a year, or starting within one. */
const WINDOW_DAYS = 366;

/**
 * Is this person covered on the date, by what, and what is left? A handful of indexed lookups:
 * the member's covers with their policies and products, the ledger entries of the member under
 * them (and of the whole policy only when the product has policy-wide amounts), the products'
 * lines for what is asked, the member count when a policy ceiling grows with it, and the
 * facility's price of each thing asked. No claim is read: the ledger already holds the usage.
 */
export async function assessEligibility(
  em: EntityManager,
  question: EligibilityQuestion,
  rules: { ageOfMajority: number },
): Promise<EligibilityAssessment> {
  const { insuree, date, facility, requested } = question;
  const covers = await em.find(
    InsureePolicy,
    {
      insuree,
      deletedAt: null,
      expiryDate: { $gte: addDays(date, -WINDOW_DAYS) },
      startDate: { $lte: addDays(date, WINDOW_DAYS) },
    },
    { populate: ['policy.product'], orderBy: { startDate: 'desc' } },
  );
  if (covers.length === 0) {
    return { date, insurances: [], errors: ['no-coverage'] };
  }
  const { everywhere, policyWide } = await usageOf(em, insuree, covers);
  const members = await memberCounts(em, covers);
  const lines = await coverageLines(em, covers, requested);
  const prices = await pricesOf(em, facility, requested, date);
  const adult = isAdultOn(insuree.birthDate, date, rules.ageOfMajority);

  const insurances = covers.map((cover): InsuranceAnswer => {
    const { policy } = cover;
    const product = policy.product;
    const notInForce = standingOn(cover, date);
    const mine = everywhere.filter((e) => e.policy.id === policy.id);
    const counts = countBenefits(product, mine);
    const amounts = amountBenefits(product, mine);
    const grid = gridBenefits(product, mine, policyWide.get(policy.id) ?? mine, members.get(policy.id) ?? 1);
    return {
      insureePolicyId: cover.id,
      policyId: policy.id,
      productId: product.id,
      productCode: product.code,
      productName: product.name,
      policyStatus: policy.status,
      inForce: notInForce === null,
      notInForce,
      start: cover.startDate,
      end: cover.expiryDate,
      effective: cover.effectiveDate ?? null,
      counts,
      amounts,
      grid,
      requested: requested.map((target) =>
        answerRequested(target, {
          date,
          insuree,
          adult,
          cover,
          inForce: notInForce === null,
          facility,
          line: lines.get(`${product.id} ${target.record.id}`),
          price: prices.get(target.record.id),
          mine,
          everywhere,
          counts,
          amounts,
          grid,
        }),
      ),
    };
  });
  // Those in force first, then the others by start date, latest first.
  insurances.sort((a, b) => Number(b.inForce) - Number(a.inForce));
  const errors = insurances.some((i) => i.inForce) ? [] : (['no-coverage-in-force'] as const);
  return { date, insurances, errors: [...errors] };
}

/**
 * The member's ledger entries under the covers listed, and, for policies whose product has a
 * per-policy deductible or ceiling, every member's treatments under them: one query.
 */
async function usageOf(
  em: EntityManager,
  insuree: Insuree,
  covers: InsureePolicy[],
): Promise<{ everywhere: UsageEntry[]; policyWide: Map<string, UsageEntry[]> }> {
  const policyIds = covers.map((c) => c.policy.id);
  const wideIds = covers
    .filter(({ policy: { product: p } }) =>
      [p.deductiblePerPolicy, p.ceilingPerPolicy].some(
        (row) => row.general != null || row.inPatient != null || row.outPatient != null,
      ),
    )
    .map((c) => c.policy.id);
  const entries = await em.find(UsageEntry, {
    $or: [
      { insuree, policy: { $in: policyIds } },
      ...(wideIds.length ? [{ policy: { $in: wideIds }, kind: 'treatment' as const }] : []),
    ],
  });
  const everywhere = entries.filter((e) => e.insuree.id === insuree.id);
  const policyWide = new Map<string, UsageEntry[]>(wideIds.map((id) => [id, []]));
  for (const entry of entries) {
    if (entry.kind === 'treatment') {
      policyWide.get(entry.policy.id)?.push(entry);
    }
  }
  return { everywhere, policyWide };
}

/** Members on the policies whose policy ceiling grows per member above the threshold. */
async function memberCounts(em: EntityManager, covers: InsureePolicy[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { policy } of covers) {
    const extra = policy.product.ceilingPerExtraMember;
    if (extra.general != null || extra.inPatient != null || extra.outPatient != null) {
      counts.set(policy.id, await em.count(InsureePolicy, { policy, deletedAt: null }));
    }
  }
  return counts;
}

/** The products' lines for what is asked, by `product target`. */
async function coverageLines(
  em: EntityManager,
  covers: InsureePolicy[],
  requested: RequestedTarget[],
): Promise<Map<string, ProductCoverage>> {
  const byKey = new Map<string, ProductCoverage>();
  if (requested.length === 0) {
    return byKey;
  }
  const items = requested.filter((r) => r.kind === 'item').map((r) => r.record.id);
  const services = requested.filter((r) => r.kind === 'service').map((r) => r.record.id);
  const found = await em.find(ProductCoverage, {
    product: { $in: [...new Set(covers.map((c) => c.policy.product.id))] },
    $or: [
      ...(items.length ? [{ item: { $in: items } }] : []),
      ...(services.length ? [{ service: { $in: services } }] : []),
    ],
  });
  for (const line of found) {
    byKey.set(`${line.product.id} ${(line.item ?? line.service)!.id}`, line);
  }
  return byKey;
}

/** The price of each thing asked: at the facility (absent when not in its lists), else the register's. */
async function pricesOf(
  em: EntityManager,
  facility: Organisation | null,
  requested: RequestedTarget[],
  date: IsoDate,
): Promise<Map<string, FacilityPrice>> {
  const prices = new Map<string, FacilityPrice>();
  for (const target of requested) {
    const price = facility
      ? await facilityPrice(
          em,
          facility,
          target.kind === 'item' ? { item: target.record } : { service: target.record },
          date,
        )
      : { price: target.record.price, origin: 'register' as const };
    if (price) {
      prices.set(target.record.id, price);
    }
  }
  return prices;
}
