import { defineEntity, p } from '@mikro-orm/core';
import { foldIndex, liveUnique, recordProperties } from '../shared/record.ts';
import { Location } from '../location/location.entity.ts';
import { Organisation } from '../organisation/organisation.entity.ts';
import { Family } from './family.entity.ts';

export const Genders = ['M', 'F', 'O'] as const;
export type Gender = (typeof Genders)[number];
/** M married, S single, D divorced, W widowed, N not specified (openIMIS codes). */
export const MaritalStatuses = ['M', 'S', 'D', 'W', 'N'] as const;
export type MaritalStatus = (typeof MaritalStatuses)[number];
/** D driver's licence, N national id, P passport, V voter card. */
export const IdentityDocumentTypes = ['D', 'N', 'P', 'V'] as const;
export type IdentityDocumentType = (typeof IdentityDocumentTypes)[number];
/** AC active, IN inactive, DE deceased. */
export const InsureeStatuses = ['AC', 'IN', 'DE'] as const;
export type InsureeStatus = (typeof InsureeStatuses)[number];

export interface InsureePhoto {
  contentType?: string;
  data?: string;
  url?: string;
  title?: string;
  creation?: string;
}

export const InsureeSchema = defineEntity({
  name: 'Insuree',
  tableName: 'insuree',
  properties: {
    ...recordProperties,
    insuranceNumber: p.string().length(50),
    lastName: p.string().length(100),
    otherNames: p.string().length(100),
    birthDate: p.date().nullable(),
    gender: p.enum(Genders).nullable(),
    maritalStatus: p.enum(MaritalStatuses).nullable(),
    status: p.enum(InsureeStatuses).default('AC'),
    phone: p.string().length(50).nullable(),
    email: p.string().length(100).nullable(),
    addressText: p.string().length(500).nullable(),
    municipality: p.string().length(100).nullable(),
    village: () => p.manyToOne(Location).nullable().index(),
    identityDocumentType: p.enum(IdentityDocumentTypes).nullable(),
    identityDocumentNumber: p.string().length(50).nullable(),
    firstServicePoint: () => p.manyToOne(Organisation).nullable().index(),
    // Deferred: a family and its members reference each other and are written in one flush.
    family: () => p.manyToOne(Family).nullable().index().deferMode('deferred'),
    isHead: p.boolean().default(false),
    relationship: p.string().length(10).nullable(),
    cardIssued: p.boolean().default(false),
    profession: p.string().length(10).nullable(),
    education: p.string().length(10).nullable(),
    photo: p.json<InsureePhoto>().nullable().lazy(),
  },
  indexes: [
    { name: 'insuree_insurance_number_live_unique', expression: liveUnique('insuree', 'insurance_number') },
    { name: 'insuree_last_name_fold_index', expression: foldIndex('insuree', 'last_name') },
    { name: 'insuree_other_names_fold_index', expression: foldIndex('insuree', 'other_names') },
    { properties: ['birthDate'] },
    { properties: ['phone'] },
    { properties: ['updatedAt'] },
  ],
});

export class Insuree extends InsureeSchema.class {
  isRetired(): boolean {
    return this.deletedAt != null;
  }
}
InsureeSchema.setClass(Insuree);
