import { defineEntity, p } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { money } from '../shared/money.ts';
import { recordProperties } from '../shared/record.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { Policy } from './policy.entity.ts';

/**
 * One member's cover under a policy (openIMIS tblInsureePolicy). A member who joins an active
 * family is covered only once its own effective date is set, i.e. once its extra premium is paid:
 * once the policy's payments reach its `coverThreshold`.
 */
export const InsureePolicySchema = defineEntity({
  name: 'InsureePolicy',
  tableName: 'insuree_policy',
  properties: {
    ...recordProperties,
    insuree: () => p.manyToOne(Insuree).index(),
    policy: () => p.manyToOne(Policy).index(),
    enrolDate: p.date(),
    startDate: p.date(),
    effectiveDate: p.date().nullable(),
    expiryDate: p.date(),
    /**
     * The policy's total payments at which this member is covered: the policy value once the member
     * was on it. Founding members share the value at enrolment; a member who joined an active
     * policy has the higher value that includes their extra premium.
     */
    coverThreshold: money(),
  },
  indexes: [
    {
      name: 'insuree_policy_live_unique',
      expression:
        'create unique index "insuree_policy_live_unique" on "insuree_policy" ("insuree_id", "policy_id") where "deleted_at" is null',
    },
  ],
});
export class InsureePolicy extends InsureePolicySchema.class {
  /** Sets the day cover began, or withdraws it (null); a change is a new version. */
  coverFrom(effectiveDate: IsoDate | null): void {
    this.effectiveDate = effectiveDate;
  }
}
InsureePolicySchema.setClass(InsureePolicy);
