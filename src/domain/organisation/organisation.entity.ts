import { defineEntity, p } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { foldIndex, liveUnique, recordProperties } from '../shared/record.ts';
import { Location } from '../location/location.entity.ts';
import { PriceList } from '../medical/price-list.entity.ts';

/** Health facilities provide care; the insurer runs the scheme (one or a few per deployment). */
export const OrganisationKinds = ['health-facility', 'insurer'] as const;
export type OrganisationKind = (typeof OrganisationKinds)[number];

/** openIMIS facility levels: D dispensary, C health centre, H hospital. */
export const FacilityLevels = ['D', 'C', 'H'] as const;
export type FacilityLevel = (typeof FacilityLevels)[number];
/** I in-patient, O out-patient, B both. */
export const CareTypes = ['I', 'O', 'B'] as const;
export type CareType = (typeof CareTypes)[number];
/** C charity, D district organisation, G government, P private. */
export const LegalForms = ['C', 'D', 'G', 'P'] as const;
export type LegalForm = (typeof LegalForms)[number];
/** openIMIS AC active, IN inactive, DE delisted, ID idle. */
export const OrganisationStatuses = ['active', 'inactive', 'delisted', 'idle'] as const;
export type OrganisationStatus = (typeof OrganisationStatuses)[number];

export const OrganisationSchema = defineEntity({
  name: 'Organisation',
  tableName: 'organisation',
  properties: {
    ...recordProperties,
    kind: p.enum(OrganisationKinds),
    code: p.string().length(50),
    name: p.string().length(200),
    status: p.enum(OrganisationStatuses).default('active'),
    level: p.enum(FacilityLevels).nullable(),
    careType: p.enum(CareTypes).nullable(),
    legalForm: p.enum(LegalForms).nullable(),
    location: () => p.manyToOne(Location).nullable().index(),
    parent: () => p.manyToOne(Organisation).nullable().index().deferMode('deferred'),
    addressText: p.string().length(500).nullable(),
    city: p.string().length(100).nullable(),
    district: p.string().length(100).nullable(),
    state: p.string().length(100).nullable(),
    phone: p.string().length(50).nullable(),
    fax: p.string().length(50).nullable(),
    email: p.string().length(100).nullable(),
    contractStart: p.date().nullable(),
    contractEnd: p.date().nullable(),
    itemsPriceList: () => p.manyToOne(PriceList).nullable(),
    servicesPriceList: () => p.manyToOne(PriceList).nullable(),
    // The DHIS2 org unit this health facility is (its UID and code), when the scheme mapped it.
    dhis2Uid: p.string().length(11).nullable().fieldName('dhis2_uid'),
    dhis2Code: p.string().length(50).nullable().fieldName('dhis2_code'),
  },
  indexes: [
    { name: 'organisation_code_live_unique', expression: liveUnique('organisation', 'code') },
    { name: 'organisation_dhis2_uid_live_unique', expression: liveUnique('organisation', 'dhis2_uid') },
    { name: 'organisation_dhis2_code_live_unique', expression: liveUnique('organisation', 'dhis2_code') },
    { name: 'organisation_name_fold_index', expression: foldIndex('organisation', 'name') },
    {
      // The scheme's insurer (findSchemeInsurer, SCHEME_INSURER_ID_SQL), which every enquiry and
      // claim names: without it, a scan and sort of every facility on each request.
      name: 'organisation_insurer_index',
      expression:
        'create index "organisation_insurer_index" on "organisation" ("created_at") where "kind" = \'insurer\' and "deleted_at" is null',
    },
    { properties: ['updatedAt'] },
  ],
});

export class Organisation extends OrganisationSchema.class {
  isHealthFacility(): boolean {
    return isHealthFacilityKind(this.kind);
  }

  /** A facility carries its level, care type and legal form, sits in a district, and has a sane contract. */
  assertConsistent(): void {
    if (this.isHealthFacility()) {
      for (const field of ['level', 'careType', 'legalForm'] as const) {
        if (!this[field]) {
          throw new KingaError('organisation.facility-field-required', { field }, { field });
        }
      }
      if (this.location && this.location.type !== 'D') {
        throw new KingaError(
          'organisation.location-not-district',
          { actual: this.location.type },
          { field: 'location' },
        );
      }
    }
    if (this.contractStart && this.contractEnd && this.contractEnd < this.contractStart) {
      throw new KingaError(
        'organisation.contract-dates',
        { start: this.contractStart, end: this.contractEnd },
        { field: 'contractEnd' },
      );
    }
  }
}
OrganisationSchema.setClass(Organisation);

/** Organisation.isHealthFacility over a plain kind (eligibility reads the facility as a row). */
export function isHealthFacilityKind(kind: string): boolean {
  return kind === 'health-facility';
}
