import { defineEntity, p } from '@mikro-orm/core';
import { money } from '../shared/money.ts';
import { newId } from '../shared/ids.ts';
import { recordProperties } from '../shared/record.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { Diagnosis } from '../medical/diagnosis.entity.ts';
import { MedicalItem } from '../medical/medical-item.entity.ts';
import { MedicalService, ServiceCategories } from '../medical/medical-service.entity.ts';
import { Officer } from '../officer/officer.entity.ts';
import { Organisation } from '../organisation/organisation.entity.ts';
import { Policy } from '../policy/policy.entity.ts';
import { LimitationTypes, PriceOrigins, VisitTypes } from '../product/product-coverage.entity.ts';
import { CareSettings } from '../eligibility/usage-entry.entity.ts';

/**
 * openIMIS 1 Rejected, 2 Entered, 4 Checked (passed the rules, waiting for review), 8 Processed
 * (valuated, relative-price lines waiting for the batch), 16 Valuated (openimis.md §1.4).
 */
export const ClaimStatuses = ['rejected', 'entered', 'checked', 'processed', 'valuated'] as const;
export type ClaimStatus = (typeof ClaimStatuses)[number];

/** openIMIS review status: idle (not decided), not selected, selected, delivered (reviewed), bypassed. */
export const ReviewStatuses = ['idle', 'not-selected', 'selected', 'delivered', 'bypassed'] as const;
export type ReviewStatus = (typeof ReviewStatuses)[number];

/** Why a claim was picked for medical review (review-selection.ts). */
export const ReviewReasons = ['sample', 'amount', 'rare-service', 'frequency'] as const;
export type ReviewReason = (typeof ReviewReasons)[number];

export const ClaimLineKinds = ['item', 'service'] as const;
export type ClaimLineKind = (typeof ClaimLineKinds)[number];

/** An identifier the submitting system gave its claim (kept to echo it back). */
export interface ClaimIdentifier {
  system?: string;
  value: string;
}

/**
 * A claim of a health facility for one insuree's treatment, with its lines, as entered, checked by
 * the rules and valuated. Amounts are the claim's totals over its lines (claim-line.entity below);
 * the ClaimResponse publishes them under the claim's id.
 */
export const ClaimSchema = defineEntity({
  name: 'Claim',
  tableName: 'claim',
  properties: {
    ...recordProperties,
    /** The facility's own claim code: unique per facility. */
    code: p.string().length(50),
    facility: () => p.manyToOne(Organisation),
    insuree: () => p.manyToOne(Insuree).index(),
    /** The claim administrator who entered it. */
    admin: () => p.manyToOne(Officer).nullable(),
    visitType: p.enum(VisitTypes),
    dateFrom: p.date(),
    dateTo: p.date().nullable(),
    dateClaimed: p.date(),
    mainDiagnosis: () => p.manyToOne(Diagnosis),
    /** Secondary diagnoses, by code (at most four, as openIMIS). */
    otherDiagnoses: p.json<string[]>(),
    status: p.enum(ClaimStatuses),
    /** The claim's service category (S, D, A, H, C, O, V), derived from its services. */
    category: p.enum(ServiceCategories).nullable(),
    careSetting: p.enum(CareSettings),
    /** Claim-level rejection reason (openIMIS codes, claim-rejection-reasons). */
    rejectionReason: p.integer().nullable(),
    /** Σ quantity × asked price over every line. */
    claimed: money(),
    /** Σ quantity × unit price over the accepted lines. */
    approved: money().default('0.00'),
    deductible: money().default('0.00'),
    /** What the patient pays besides the deductible: co-insurance and above fixed limits. */
    copay: money().default('0.00'),
    /** What the scheme pays (openIMIS valuated). */
    benefit: money().default('0.00'),
    /** Paid to the facility once relative prices are set by the batch (else equal to benefit). */
    remunerated: money().nullable(),
    explanation: p.text().nullable(),
    guarantee: p.string().length(100).nullable(),
    clientIdentifiers: p.json<ClaimIdentifier[]>(),
    /** SHA-256 of what was submitted: the same claim sent again is recognised, a different one refused. */
    fingerprint: p.string().length(64),
    submittedBy: p.string().length(100).nullable(),
    reviewStatus: p.enum(ReviewStatuses).default('idle'),
    reviewReasons: p.json<ReviewReason[]>(),
    reviewJustification: p.text().nullable(),
    reviewedBy: p.string().length(100).nullable(),
    /** When it became valuated (claim-to-valuation days). */
    valuatedAt: p.datetime().nullable(),
    /** The relative-pricing run that valuated its relative-price lines. */
    batchRun: p.uuid().nullable(),
    lines: () => p.oneToMany(ClaimLine).mappedBy('claim').orderBy({ sequence: 'asc' }),
  },
  indexes: [
    {
      name: 'claim_facility_code_unique',
      expression:
        'create unique index "claim_facility_code_unique" on "claim" ("facility_id", "code") where "deleted_at" is null',
    },
    { properties: ['facility', 'createdAt'] },
    { properties: ['status', 'dateFrom'] },
  ],
});

export class Claim extends ClaimSchema.class {
  isRejected(): boolean {
    return this.status === 'rejected';
  }

  /** Lines in their sequence. */
  orderedLines(): ClaimLine[] {
    return [...this.lines.getItems()].sort((a, b) => a.sequence - b.sequence);
  }
}
ClaimSchema.setClass(Claim);

export const ClaimLineStatuses = ['passed', 'rejected'] as const;
export type ClaimLineStatus = (typeof ClaimLineStatuses)[number];

/**
 * One line of a claim: an item or a service given, how many and at what asked price; the rules'
 * verdict (status, rejection reason, quantity approved) and its valuation step by step: the unit
 * price that applies and its origin, the limitation, deductible, co-payment, what category caps
 * and ceilings took, and the benefit.
 */
export const ClaimLineSchema = defineEntity({
  name: 'ClaimLine',
  tableName: 'claim_line',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    claim: () => p.manyToOne(Claim).index(),
    sequence: p.integer(),
    kind: p.enum(ClaimLineKinds),
    item: () => p.manyToOne(MedicalItem).nullable(),
    service: () => p.manyToOne(MedicalService).nullable(),
    /** The item's or service's code (kept on the line: the claim is published without reading the registers). */
    code: p.string().length(50),
    quantity: p.integer(),
    priceAsked: money(),
    explanation: p.text().nullable(),
    status: p.enum(ClaimLineStatuses),
    /** 0 accepted, else the openIMIS rejection reason (−1 by the medical officer). */
    rejectionReason: p.integer().default(0),
    /** The quantity the rules or the reviewer allowed (less than given when a limit is partly used). */
    quantityApproved: p.integer().nullable(),
    /** A reviewer's price, which wins over the price origin. */
    priceApproved: money().nullable(),
    justification: p.text().nullable(),
    /** The policy (and so product) that pays for it. */
    policy: () => p.manyToOne(Policy).nullable(),
    productId: p.uuid().nullable(),
    priceOrigin: p.enum(PriceOrigins).nullable(),
    limitationType: p.enum(LimitationTypes).nullable(),
    limitationValue: money().nullable(),
    ceilingExcluded: p.boolean().default(false),
    /** The unit price valuation used. */
    unitPrice: money().nullable(),
    /** quantity × asked price. */
    submitted: money(),
    /** quantity approved × unit price. */
    eligible: money().default('0.00'),
    deductible: money().default('0.00'),
    copay: money().default('0.00'),
    exceedCategory: money().default('0.00'),
    exceedCeiling: money().default('0.00'),
    benefit: money().default('0.00'),
    /** For relative-price lines: index × benefit, set by the batch. */
    remunerated: money().nullable(),
  },
  indexes: [
    { properties: ['service'] },
    { properties: ['item'] },
    {
      // The rare-service review rule counts a service's accepted lines up to its threshold, in id
      // order: an index-only scan of this index that stops there. Without the order, the planner
      // may take a sequential scan expecting to meet the threshold soon, which reads the whole
      // table for the rare service the rule is about; on the plain service index it read every
      // line of the service into a bitmap (6 530 of a common one at 110 k lines: 1.9 ms, 0.08 here).
      name: 'claim_line_passed_service_index',
      expression:
        'create index "claim_line_passed_service_index" on "claim_line" ("service_id", "id") where "status" = \'passed\'',
    },
  ],
});
export class ClaimLine extends ClaimLineSchema.class {
  isAccepted(): boolean {
    return this.status === 'passed';
  }
}
ClaimLineSchema.setClass(ClaimLine);
