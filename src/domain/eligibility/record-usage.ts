import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isMoney, normaliseMoney, ZERO, type Money } from '../shared/money.ts';
import type { ServiceCategory } from '../medical/medical-service.entity.ts';
import { InsureePolicy } from '../policy/insuree-policy.entity.ts';
import type { CareSetting, UsageEntry } from './usage-entry.entity.ts';

/** One line of a treatment: an item or a service (ids), how many, what the scheme paid for it. */
export interface UsageLine {
  itemId?: string;
  serviceId?: string;
  quantity: number;
  amount?: Money;
}

/** What one treatment (a claim, once adjudicated) used of an insuree's cover under a policy. */
export interface TreatmentUsage {
  insureeId: string;
  policyId: string;
  date: IsoDate;
  careSetting: CareSetting;
  /** The claim's service category, counted once against the product's category limits. */
  category?: ServiceCategory | null;
  /** What the scheme paid for the whole treatment. */
  amount: Money;
  deductible?: Money;
  claimId?: string | null;
  /**
   * The member's cover under the policy, when the caller has read it already (claim adjudication
   * has): the membership is then not looked up again.
   */
  coverId?: string;
  /** A claim taken back: the treatment counts −1 (its lines carry negative quantities). */
  reversal?: boolean;
  lines: UsageLine[];
}

/** One ledger row as `usage_entry` stores it (the insert's JSON record). */
interface UsageRecord {
  id: string;
  insuree_id: string;
  policy_id: string;
  kind: UsageEntry['kind'];
  date: IsoDate;
  item_id: string | null;
  service_id: string | null;
  category: ServiceCategory | null;
  care_setting: CareSetting;
  quantity: number;
  amount: Money;
  deductible: Money;
  claim_id: string | null;
  created_at: string;
}

/**
 * Records a treatment in the usage ledger: one treatment row and a row per line. Claim
 * adjudication calls it inside the claim's transaction, so the ledger moves with the claim; a
 * reversal records the same usage with negative quantities and amounts. The insuree must be a
 * member of the policy.
 *
 * The rows are written at once, in one statement, not through the unit of work: the ledger is
 * append-only and nothing in the transaction reads them back as entities, and a claim's six
 * entities cost its flush more than the statement does (issue 5's profile). Returns how many
 * rows were written.
 */
export async function recordUsage(em: EntityManager, usage: TreatmentUsage): Promise<number> {
  if (!usage.coverId) {
    const cover = await em.findOne(
      InsureePolicy,
      { insuree: usage.insureeId, policy: usage.policyId, deletedAt: null },
      { fields: ['id'] },
    );
    if (!cover) {
      throw new KingaError(
        'usage.policy-not-covering',
        { insuree: usage.insureeId, policy: usage.policyId },
        { field: 'policy' },
      );
    }
  }
  const createdAt = new Date().toISOString();
  const row = (fields: Pick<UsageRecord, 'kind' | 'quantity' | 'amount'> & Partial<UsageRecord>) => ({
    id: newId(),
    insuree_id: usage.insureeId,
    policy_id: usage.policyId,
    date: usage.date,
    item_id: null,
    service_id: null,
    category: null,
    care_setting: usage.careSetting,
    deductible: ZERO,
    claim_id: usage.claimId ?? null,
    created_at: createdAt,
    ...fields,
  });
  const records: UsageRecord[] = [
    row({
      kind: 'treatment',
      category: usage.category ?? null,
      quantity: usage.reversal ? -1 : 1,
      amount: amountOf(usage.amount),
      deductible: amountOf(usage.deductible ?? '0'),
    }),
  ];
  for (const line of usage.lines) {
    if (!line.itemId === !line.serviceId) {
      throw new KingaError('usage.line-target', {}, { field: 'lines' });
    }
    if (!Number.isInteger(line.quantity)) {
      throw new KingaError('usage.quantity-invalid', { quantity: line.quantity }, { field: 'lines' });
    }
    records.push(
      row({
        kind: line.itemId ? 'item' : 'service',
        item_id: line.itemId ?? null,
        service_id: line.serviceId ?? null,
        quantity: line.quantity,
        amount: amountOf(line.amount ?? '0'),
      }),
    );
  }
  await em.getConnection().execute(
    `insert into usage_entry (${USAGE_COLUMNS.join(', ')})
     select ${USAGE_COLUMNS.join(', ')} from json_populate_recordset(null::usage_entry, ?::json)`,
    [JSON.stringify(records)],
    'run',
    em.getTransactionContext(),
  );
  return records.length;
}

const USAGE_COLUMNS = [
  'id',
  'insuree_id',
  'policy_id',
  'kind',
  'date',
  'item_id',
  'service_id',
  'category',
  'care_setting',
  'quantity',
  'amount',
  'deductible',
  'claim_id',
  'created_at',
] as const satisfies readonly (keyof UsageRecord)[];

function amountOf(value: Money): Money {
  if (!isMoney(value)) {
    throw new KingaError('usage.amount-invalid', { amount: value }, { field: 'amount' });
  }
  return normaliseMoney(value);
}
