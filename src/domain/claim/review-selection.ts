import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { compareMoney, type Money } from '../shared/money.ts';
import { addDays } from '../policy/calendar.ts';
import type { ReviewReason } from './claim.entity.ts';

/** The scheme's rules for picking claims for medical review (config CLAIM_REVIEW_*). */
export interface ReviewRules {
  samplePercent: number;
  amountAbove?: Money;
  rareServiceLines: number;
  visitsPer30Days: number;
}

/** What the rules look at of one adjudicated claim. */
export interface ReviewCandidate {
  id: string;
  facilityId: string;
  insureeId: string;
  dateFrom: IsoDate;
  benefit: Money;
  serviceIds: string[];
}

/**
 * Why a claim should be reviewed, if at all: a random sample (reproducible: drawn from the claim's
 * id, so the same claim is always in or out), a benefit above the threshold, a service the scheme
 * has rarely accepted, or a patient seen unusually often at the same facility. Nepal reviews ~7 k
 * of 30–40 k claims a day: the rules pick the risky few, the rest are approved automatically.
 * Each read is bounded (an index range with a limit), whatever the claim history's size. Runs
 * before the claim is stored.
 */
export async function reviewReasonsFor(
  em: EntityManager,
  claim: ReviewCandidate,
  rules: ReviewRules,
): Promise<ReviewReason[]> {
  const reasons: ReviewReason[] = [];
  if (rules.samplePercent > 0 && drawOf(claim.id) < rules.samplePercent * 100) {
    reasons.push('sample');
  }
  if (rules.amountAbove !== undefined && compareMoney(claim.benefit, rules.amountAbove) > 0) {
    reasons.push('amount');
  }
  const services = [...new Set(claim.serviceIds)];
  const rare = rules.rareServiceLines > 0 && services.length > 0;
  const frequent = rules.visitsPer30Days > 0;
  if (rare || frequent) {
    // One query for both rules, each read bounded by an index range with a limit: a service's
    // count stops at the threshold however often a common service was given, and so does the
    // patient's count of recent visits. The claim is not stored yet: it is one more visit.
    // `order by l.id` keeps the count on claim_line_passed_service_index (claim.entity.ts).
    const [row] = await em.getConnection().execute<{ rare: boolean; recent: number }[]>(
      `select exists (select 1 from unnest(?::uuid[]) as s(id)
                       where (select count(*) from (select 1 from claim_line l
                                                     where l.service_id = s.id and l.status = 'passed'
                                                     order by l.id limit ?) x) < ?) as rare,
              (select count(*) from (select 1 from claim c
                                      where c.insuree_id = ? and c.facility_id = ?
                                        and c.date_from >= ? and c.date_from <= ?
                                        and c.status <> 'rejected' and c.deleted_at is null
                                      limit ?) r)::int as recent`,
      [
        `{${rare ? services.join(',') : ''}}`,
        rules.rareServiceLines,
        rules.rareServiceLines,
        claim.insureeId,
        claim.facilityId,
        addDays(claim.dateFrom, -30),
        claim.dateFrom,
        frequent ? rules.visitsPer30Days : 0,
      ],
      'all',
      em.getTransactionContext(),
    );
    if (rare && row!.rare) {
      reasons.push('rare-service');
    }
    if (frequent && row!.recent + 1 >= rules.visitsPer30Days) {
      reasons.push('frequency');
    }
  }
  return reasons;
}

/** A number in [0, 10000) drawn from the claim id. */
function drawOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % 10_000;
}
