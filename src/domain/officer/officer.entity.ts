import { defineEntity, p } from '@mikro-orm/core';
import { liveUnique, recordProperties } from '../shared/record.ts';
import { Location } from '../location/location.entity.ts';
import { Organisation } from '../organisation/organisation.entity.ts';

/**
 * EO enrolment officer (enrols families in villages, collects premiums, is prompted for renewals),
 * CA claim administrator (submits a facility's claims). openIMIS tblOfficer and tblClaimAdmin.
 */
export const OfficerRoles = ['EO', 'CA'] as const;
export type OfficerRole = (typeof OfficerRoles)[number];

export const OfficerSchema = defineEntity({
  name: 'Officer',
  tableName: 'officer',
  properties: {
    ...recordProperties,
    role: p.enum(OfficerRoles),
    code: p.string().length(50),
    lastName: p.string().length(100),
    otherNames: p.string().length(100),
    birthDate: p.date().nullable(),
    phone: p.string().length(50).nullable(),
    email: p.string().length(100).nullable(),
    /** EO: the district they work in; their villages are below it. */
    location: () => p.manyToOne(Location).nullable(),
    villages: () => p.manyToMany(Location).pivotTable('officer_village'),
    /** EO: who takes over their families when they leave (renewal prompts follow this chain). */
    substitute: () => p.manyToOne(Officer).nullable().deferMode('deferred'),
    worksTo: p.date().nullable(),
    /** CA: the facility whose claims they submit. */
    facility: () => p.manyToOne(Organisation).nullable().index(),
  },
  indexes: [{ name: 'officer_code_live_unique', expression: liveUnique('officer', 'code') }],
});
export class Officer extends OfficerSchema.class {
  isEnrolmentOfficer(): boolean {
    return this.role === 'EO';
  }

  /** Still working on `date` (YYYY-MM-DD). */
  worksOn(date: string): boolean {
    return this.deletedAt == null && (this.worksTo == null || this.worksTo >= date);
  }
}
OfficerSchema.setClass(Officer);
