import { defineEntity, p } from '@mikro-orm/core';
import { money } from '../shared/money.ts';
import type { IsoDate } from '../shared/dates.ts';
import { recordProperties, touch } from '../shared/record.ts';
import { Family } from '../insuree/family.entity.ts';
import { Officer } from '../officer/officer.entity.ts';
import { Product } from '../product/product.entity.ts';

/** N new, R renewal. */
export const PolicyStages = ['N', 'R'] as const;
export type PolicyStage = (typeof PolicyStages)[number];

/**
 * openIMIS 1 Idle (entered, not fully paid), 2 Active, 4 Suspended (unpaid past the grace period),
 * 8 Expired, 16 Ready (paid, waiting for activation when the scheme activates by hand).
 */
export const PolicyStatuses = ['idle', 'active', 'suspended', 'expired', 'ready'] as const;
export type PolicyStatus = (typeof PolicyStatuses)[number];

/** A family's cover under one product for one insurance period; members are covered through InsureePolicy. */
export const PolicySchema = defineEntity({
  name: 'Policy',
  tableName: 'policy',
  properties: {
    ...recordProperties,
    family: () => p.manyToOne(Family).index(),
    product: () => p.manyToOne(Product).index(),
    officer: () => p.manyToOne(Officer).nullable(),
    stage: p.enum(PolicyStages),
    status: p.enum(PolicyStatuses).default('idle'),
    /** What the family owes for the period (server-computed, decimal). */
    value: money(),
    enrolDate: p.date(),
    startDate: p.date(),
    /** When cover began: the later of full payment and the start date. */
    effectiveDate: p.date().nullable(),
    expiryDate: p.date().index(),
    /** The policy this one renews. */
    previous: () => p.manyToOne(Policy).nullable(),
  },
});
export class Policy extends PolicySchema.class {
  /** Takes the status and effective date its ledger now gives (see `settle`). */
  settleTo(settlement: { status: PolicyStatus; effectiveDate: IsoDate | null }): void {
    this.status = settlement.status;
    this.effectiveDate = settlement.effectiveDate;
    // The balance is part of the published policy even when the status stays.
    touch(this);
  }

  hasExpired(): boolean {
    return this.status === 'expired';
  }
}
PolicySchema.setClass(Policy);
