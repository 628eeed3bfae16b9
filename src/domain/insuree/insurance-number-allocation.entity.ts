import { defineEntity, p } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Officer } from '../officer/officer.entity.ts';
import { Insuree } from './insuree.entity.ts';

/**
 * A pre-printed card's number, generated in a block and handed to an enrolment officer. It is
 * accepted at enrolment once: `insuree` is set when it is used.
 */
export const InsuranceNumberAllocationSchema = defineEntity({
  name: 'InsuranceNumberAllocation',
  tableName: 'insurance_number_allocation',
  properties: {
    number: p.string().length(50).primary(),
    officer: () => p.manyToOne(Officer).nullable().index(),
    blockId: p.uuid().index(),
    allocatedAt: p.datetime().onCreate(() => new Date()),
    insuree: () => p.manyToOne(Insuree).nullable().unique(),
    usedAt: p.datetime().nullable(),
  },
});
export class InsuranceNumberAllocation extends InsuranceNumberAllocationSchema.class {
  /** The first insuree registered with the number takes it; a second enrolment with it is refused. */
  useFor(insuree: Insuree): void {
    if (this.insuree) {
      throw new KingaError(
        'insuree.insurance-number-used',
        { number: this.number },
        { field: 'insuranceNumber' },
      );
    }
    this.insuree = insuree;
    this.usedAt = new Date();
  }
}
InsuranceNumberAllocationSchema.setClass(InsuranceNumberAllocation);
