import { createHash } from 'node:crypto';
import { FlushMode, type EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { compareMoney, type Money } from '../shared/money.ts';
import { addDays } from '../policy/calendar.ts';
import { Claim, type ReviewReason } from './claim.entity.ts';

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
  if (rules.rareServiceLines > 0 && services.length > 0) {
    // One query for every service of the claim: each count stops at the threshold (an index range
    // with a limit), however often a common service was given. The claim is not stored yet.
    const rows: { seen: number }[] = await em.getConnection().execute(
      `select (select count(*) from (select 1 from claim_line l
                                     where l.service_id = s.id and l.status = 'passed' limit ?) x)::int as seen
         from unnest(?::uuid[]) as s(id)`,
      [rules.rareServiceLines, `{${services.join(',')}}`],
      'all',
      em.getTransactionContext(),
    );
    if (rows.some((row) => row.seen < rules.rareServiceLines)) {
      reasons.push('rare-service');
    }
  }
  if (rules.visitsPer30Days > 0) {
    const recent = await em.find(
      Claim,
      {
        insuree: claim.insureeId,
        facility: claim.facilityId,
        dateFrom: { $gte: addDays(claim.dateFrom, -30), $lte: claim.dateFrom },
        status: { $ne: 'rejected' },
        deletedAt: null,
      },
      { fields: ['id'], limit: rules.visitsPer30Days, flushMode: FlushMode.COMMIT },
    );
    // The claim itself is not stored yet: it is one more.
    if (recent.length + 1 >= rules.visitsPer30Days) {
      reasons.push('frequency');
    }
  }
  return reasons;
}

/** A number in [0, 10000) drawn from the claim id. */
function drawOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % 10_000;
}
