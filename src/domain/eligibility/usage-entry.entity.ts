import { defineEntity, p } from '@mikro-orm/core';
import { newId } from '../shared/ids.ts';
import { money } from '../shared/money.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { MedicalItem } from '../medical/medical-item.entity.ts';
import { MedicalService, ServiceCategories } from '../medical/medical-service.entity.ts';
import { Policy } from '../policy/policy.entity.ts';

/** A treatment (one claim), or one of its lines: an item or a service given. */
export const UsageKinds = ['treatment', 'item', 'service'] as const;
export type UsageKind = (typeof UsageKinds)[number];
/** I in-patient, O out-patient: which ceilings and deductibles a treatment counts against. */
export const CareSettings = ['I', 'O'] as const;
export type CareSetting = (typeof CareSettings)[number];

/**
 * The usage ledger: what an insuree has used under a policy, written by claim adjudication in
 * the claim's own transaction, and read by eligibility (openIMIS recomputes it from claims on
 * every enquiry, and never lowers "amount left", openimis.md §2.2, §3.5). Append-only: a claim
 * reversed later adds entries with negative quantities and amounts.
 *
 * A `treatment` row counts once per claim: its service category (claim counts per category),
 * in/out-patient setting, what the scheme paid (ceilings, category amounts) and the deductible it
 * consumed. `item` and `service` rows carry the quantities given (quantity limits, frequency).
 */
export const UsageEntrySchema = defineEntity({
  name: 'UsageEntry',
  tableName: 'usage_entry',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    insuree: () => p.manyToOne(Insuree),
    policy: () => p.manyToOne(Policy).index(),
    kind: p.enum(UsageKinds),
    date: p.date(),
    item: () => p.manyToOne(MedicalItem).nullable(),
    service: () => p.manyToOne(MedicalService).nullable(),
    /** The treatment's service category (claim count limits); null when it has none. */
    category: p.enum(ServiceCategories).nullable(),
    careSetting: p.enum(CareSettings).nullable(),
    quantity: p.integer().default(0),
    /** What the scheme paid for the treatment or line. */
    amount: money().default('0.00'),
    /** The deductible the treatment consumed. */
    deductible: money().default('0.00'),
    /** The claim that used it; null for usage recorded before claims existed (and in tests). */
    claimId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  // Eligibility reads one insuree's entries under a few policies: one index range.
  indexes: [{ name: 'usage_entry_insuree_policy_index', properties: ['insuree', 'policy'] }],
});
export class UsageEntry extends UsageEntrySchema.class {}
UsageEntrySchema.setClass(UsageEntry);
