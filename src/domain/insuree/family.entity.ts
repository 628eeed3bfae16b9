import { defineEntity, p } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { recordProperties, touch } from '../shared/record.ts';
import { Location } from '../location/location.entity.ts';
import { Insuree } from './insuree.entity.ts';

/** C council, G organisation, H household, O other, P priests, S students, T teachers (openIMIS). */
export const FamilyTypes = ['C', 'G', 'H', 'O', 'P', 'S', 'T'] as const;
export type FamilyType = (typeof FamilyTypes)[number];
/** Who confirmed the family's (poverty) status: A local council, B municipality, C state, D other. */
export const ConfirmationTypes = ['A', 'B', 'C', 'D'] as const;
export type ConfirmationType = (typeof ConfirmationTypes)[number];

export const FamilySchema = defineEntity({
  name: 'Family',
  tableName: 'family',
  properties: {
    ...recordProperties,
    head: () => p.manyToOne(Insuree).nullable().index().deferMode('deferred'),
    village: () => p.manyToOne(Location).nullable().index(),
    type: p.enum(FamilyTypes).nullable(),
    poverty: p.boolean().nullable(),
    addressText: p.string().length(500).nullable(),
    municipality: p.string().length(100).nullable(),
    confirmationNumber: p.string().length(50).nullable(),
    confirmationType: p.enum(ConfirmationTypes).nullable(),
  },
  indexes: [{ properties: ['updatedAt'] }],
});

/**
 * A household insured together. Membership lives on the insuree (its `family`); every change of
 * membership or head touches the family, because its published form (members, head) changed.
 */
export class Family extends FamilySchema.class {
  /**
   * Takes `insuree` in as a member. It may move from another family (loaded by the caller) unless
   * it heads that one.
   */
  admit(insuree: Insuree): void {
    const previous = insuree.family ?? null;
    if (previous && previous.id === this.id) {
      return;
    }
    if (previous && insuree.isHead) {
      throw new KingaError(
        'insuree.head-of-other-family',
        { number: insuree.insuranceNumber },
        { field: 'members' },
      );
    }
    if (previous) {
      touch(previous);
    }
    insuree.family = this;
    insuree.isHead = false;
    touch(this);
  }

  /** Lets a member go; the head must be replaced first. */
  release(insuree: Insuree): void {
    if (insuree.family?.id !== this.id) {
      return;
    }
    if (this.head?.id === insuree.id) {
      throw new KingaError('family.head-removal', {}, { field: 'head' });
    }
    insuree.family = null;
    insuree.isHead = false;
    touch(this);
  }

  /** Names `insuree` (already a member) head; the previous head stays a member. */
  makeHead(insuree: Insuree): void {
    if (insuree.family?.id !== this.id) {
      throw new KingaError('family.head-not-member', {}, { field: 'head' });
    }
    if (this.head?.id === insuree.id) {
      return;
    }
    if (this.head) {
      this.head.isHead = false;
    }
    this.head = insuree;
    insuree.isHead = true;
    touch(this);
  }

  isRetired(): boolean {
    return this.deletedAt != null;
  }
}
FamilySchema.setClass(Family);
