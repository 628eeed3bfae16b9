import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { addMoney, ZERO, type Money } from '../shared/money.ts';
import { facilityPricesOf } from '../medical/facility-price.ts';
import type { ServiceCategory } from '../medical/medical-service.entity.ts';
import type { Organisation } from '../organisation/organisation.entity.ts';
import { isAdultOn } from '../policy/policy-dates.ts';
import type { CoverRow, EnquiredInsuree, FacilityLine, UsageRow } from '../eligibility/eligibility-reads.ts';
import {
  checkClaimLines,
  claimCategory,
  targetDateOf,
  type ClaimFacts,
  type LineVerdict,
  type ResolvedLine,
} from './check-claim-lines.ts';
import type { ClaimReads } from './claim-reads.ts';
import { valueClaimLines, type ClaimValuation } from './value-claim-lines.ts';

/**
 * How far back a claim reads the member's covers and their ledger: frequency limits look at what
 * was given under earlier policies too (a renewal does not reset them). Rules about cover read
 * only the covers in force on the claim's dates.
 */
export const USAGE_WINDOW_DAYS = 366;

/** A claim's own facts, before the ledger and the products are read. */
export interface ClaimDraft {
  dateFrom: IsoDate;
  dateTo: IsoDate | null;
  dateClaimed: IsoDate;
  visitType: ClaimFacts['visitType'];
  facility: Organisation;
  insuree: EnquiredInsuree;
  covers: CoverRow[];
  lines: ResolvedLine[];
  /** A claim judged again (review): its own usage is left out of the ledger it is judged on. */
  claimId?: string;
  /**
   * The facility's price list lines for the claimed items and services, when the caller read them
   * already (submission reads them with the patient); otherwise they are read here.
   */
  facilityLines?: FacilityLine[];
}

export interface Adjudication {
  facts: ClaimFacts;
  verdicts: LineVerdict[];
  valuation: ClaimValuation;
  category: ServiceCategory;
  totals: { approved: Money; deductible: Money; copay: Money; benefit: Money };
}

/**
 * Checks and values a claim against the ledger. The member's policies are locked first (rows of
 * `policy`, in id order), so two claims of one family queue and the second sees what the first
 * consumed of deductibles, limits and ceilings; then one query reads the ledger under them and the
 * products' lines for what is claimed, and one the facility's price list lines.
 */
export async function adjudicateClaim(
  em: EntityManager,
  reads: ClaimReads,
  draft: ClaimDraft,
  rules: { ageOfMajority: number },
): Promise<Adjudication> {
  const policyIds = [...new Set(draft.covers.map((c) => c.policy.id))].sort();
  if (policyIds.length > 0) {
    // The rows are only locked, not read (an ORM find would hydrate them).
    await reads.lockPolicies(policyIds);
  }
  const idsOf = (kind: 'item' | 'service') => [
    ...new Set(draft.lines.filter((l) => l.kind === kind).map((l) => l.record.id)),
  ];
  const found =
    policyIds.length > 0
      ? await reads.usageAndLines({
          insureeId: draft.insuree.id,
          policyIds,
          productIds: [...new Set(draft.covers.map((c) => c.policy.product.id))],
          itemIds: idsOf('item'),
          serviceIds: idsOf('service'),
        })
      : { usage: [], members: new Map<string, number>(), lines: [] };
  const others = (u: UsageRow) => draft.claimId === undefined || u.claimId !== draft.claimId;
  const usage = found.usage.filter((u) => u.insuree.id === draft.insuree.id && others(u));
  const policyWide = new Map<string, UsageRow[]>(policyIds.map((id) => [id, []]));
  for (const entry of found.usage) {
    if (entry.kind === 'treatment' && others(entry)) {
      policyWide.get(entry.policy.id)?.push(entry);
    }
  }
  const target = targetDateOf(draft);
  const prices = facilityPricesOf(
    draft.facilityLines ??
      (await reads.facilityLines({
        itemsPriceListId: draft.facility.itemsPriceList?.id ?? null,
        servicesPriceListId: draft.facility.servicesPriceList?.id ?? null,
        itemIds: idsOf('item'),
        serviceIds: idsOf('service'),
      })),
    draft.lines.map((line) => line.record),
    target,
  );
  const facts: ClaimFacts = {
    dateFrom: draft.dateFrom,
    dateTo: draft.dateTo,
    dateClaimed: draft.dateClaimed,
    insuree: draft.insuree,
    adult: isAdultOn(draft.insuree.birthDate, target, rules.ageOfMajority),
    facility: draft.facility,
    visitType: draft.visitType,
    covers: draft.covers,
    lines: draft.lines,
    usage,
    coverage: new Map(found.lines.map((line) => [`${line.productId} ${line.targetId}`, line])),
    prices,
  };
  const category = claimCategory(facts);
  const verdicts = checkClaimLines(facts, category);
  const valuation = valueClaimLines(facts, verdicts, { policyWide, members: found.members }, category);
  const sum = (field: 'eligible' | 'deductible' | 'copay' | 'benefit') =>
    addMoney(ZERO, ...valuation.lines.map((l) => l[field]));
  return {
    facts,
    verdicts,
    valuation,
    category,
    totals: {
      approved: sum('eligible'),
      deductible: sum('deductible'),
      copay: sum('copay'),
      benefit: sum('benefit'),
    },
  };
}
