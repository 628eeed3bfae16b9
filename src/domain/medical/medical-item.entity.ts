import { defineEntity, p } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { money } from '../shared/money.ts';
import { liveUnique, recordProperties } from '../shared/record.ts';
import { CareTypes, PatientCategory } from './medical-codes.ts';
import { assertProvisionRules, isWithin } from './medical-rules.ts';

/** D drug, M medical consumable. */
export const ItemTypes = ['D', 'M'] as const;
export type ItemType = (typeof ItemTypes)[number];

/** A drug or consumable a facility may claim (openIMIS tblItems). */
export const MedicalItemSchema = defineEntity({
  name: 'MedicalItem',
  tableName: 'medical_item',
  properties: {
    ...recordProperties,
    code: p.string().length(50),
    name: p.string().length(200),
    type: p.enum(ItemTypes),
    package: p.string().length(100).nullable(),
    price: money(),
    /** Most units one claim line may ask for. */
    maximumQuantity: p.integer().nullable(),
    careType: p.enum(CareTypes).default('B'),
    /** Minimum days between two provisions to the same insuree. */
    frequencyDays: p.integer().nullable(),
    patientCategory: p.integer().default(PatientCategory.all),
    validFrom: p.date().nullable(),
    validTo: p.date().nullable(),
  },
  indexes: [{ name: 'medical_item_code_live_unique', expression: liveUnique('medical_item', 'code') }],
});

export class MedicalItem extends MedicalItemSchema.class {
  assertConsistent(): void {
    assertProvisionRules(this);
  }

  /** Whether the item may be provided on `date` (openIMIS rejection reason 1 when not). */
  isValidOn(date: IsoDate): boolean {
    return this.deletedAt == null && isWithin(date, this.validFrom, this.validTo);
  }
}
MedicalItemSchema.setClass(MedicalItem);
