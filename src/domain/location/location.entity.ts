import { defineEntity, p } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { foldIndex, liveUnique, recordProperties } from '../shared/record.ts';

/** The administrative levels of a scheme, top down (openIMIS location types R, D, W, V). */
export const LocationTypes = ['R', 'D', 'W', 'V'] as const;
export type LocationType = (typeof LocationTypes)[number];
export const LocationTypeNames: Record<LocationType, string> = {
  R: 'Region',
  D: 'District',
  W: 'Municipality/Ward',
  V: 'Village',
};

export const LocationStatuses = ['active', 'inactive'] as const;
export type LocationStatus = (typeof LocationStatuses)[number];

export const LocationSchema = defineEntity({
  name: 'Location',
  tableName: 'location',
  properties: {
    ...recordProperties,
    code: p.string().length(50),
    name: p.string().length(200),
    type: p.enum(LocationTypes),
    status: p.enum(LocationStatuses).default('active'),
    // Deferred: a parent and its children may be written in one flush (one INSERT statement).
    parent: () => p.manyToOne(Location).nullable().index().deferMode('deferred'),
    // The DHIS2 org unit this location is (its UID and code), when the scheme mapped it.
    dhis2Uid: p.string().length(11).nullable().fieldName('dhis2_uid'),
    dhis2Code: p.string().length(50).nullable().fieldName('dhis2_code'),
  },
  indexes: [
    { name: 'location_code_live_unique', expression: liveUnique('location', 'code') },
    { name: 'location_dhis2_uid_live_unique', expression: liveUnique('location', 'dhis2_uid') },
    { name: 'location_dhis2_code_live_unique', expression: liveUnique('location', 'dhis2_code') },
    { name: 'location_name_fold_index', expression: foldIndex('location', 'name') },
    { properties: ['type'] },
    { properties: ['updatedAt'] },
  ],
});

export class Location extends LocationSchema.class {
  /** The type a parent of a location of `type` must have; a region has none. */
  static parentTypeOf(type: LocationType): LocationType | undefined {
    const index = LocationTypes.indexOf(type);
    return index > 0 ? LocationTypes[index - 1] : undefined;
  }

  /** Places this location under `parent`, keeping the region → district → ward → village order. */
  placeUnder(parent: Location | null): void {
    const expected = Location.parentTypeOf(this.type);
    if (!expected) {
      if (parent) {
        throw new KingaError('location.region-has-parent', {}, { field: 'parent' });
      }
      this.parent = null;
      return;
    }
    if (!parent) {
      throw new KingaError(
        'location.parent-required',
        { type: LocationTypeNames[this.type], parentType: LocationTypeNames[expected] },
        { field: 'parent' },
      );
    }
    if (parent.id === this.id) {
      throw new KingaError('location.cycle', {}, { field: 'parent' });
    }
    if (parent.type !== expected) {
      throw new KingaError(
        'location.parent-wrong-type',
        {
          type: LocationTypeNames[this.type],
          expected: LocationTypeNames[expected],
          actual: LocationTypeNames[parent.type],
        },
        { field: 'parent' },
      );
    }
    this.parent = parent;
  }

  isRetired(): boolean {
    return this.deletedAt != null;
  }
}
LocationSchema.setClass(Location);
