import { defineEntity, p } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { money } from '../shared/money.ts';
import { recordProperties } from '../shared/record.ts';
import { Location, LocationTypeNames } from '../location/location.entity.ts';
import { MedicalItem } from './medical-item.entity.ts';
import { MedicalService } from './medical-service.entity.ts';

export const PriceListKinds = ['items', 'services'] as const;
export type PriceListKind = (typeof PriceListKinds)[number];
/** The kind of list that may hold an item or a service. */
export const PriceListKindOf: Record<'item' | 'service', PriceListKind> = {
  item: 'items',
  service: 'services',
};

/**
 * What a facility may claim and at what price: a named list of items or of services, optionally
 * for a region or district, each line with an optional price that overrules the register's price
 * (openIMIS tblPLItems/tblPLServices). A facility points to one list of each kind.
 */
export const PriceListSchema = defineEntity({
  name: 'PriceList',
  tableName: 'price_list',
  properties: {
    ...recordProperties,
    name: p.string().length(200),
    kind: p.enum(PriceListKinds),
    location: () => p.manyToOne(Location).nullable(),
    validFrom: p.date().nullable(),
  },
});
export class PriceList extends PriceListSchema.class {
  /** A list covers a region or a district (openIMIS), or the whole scheme when it has no location. */
  placeIn(location: Location | null): void {
    if (location && location.type !== 'R' && location.type !== 'D') {
      throw new KingaError(
        'price-list.location-level',
        { actual: LocationTypeNames[location.type] },
        { field: 'location' },
      );
    }
    this.location = location;
  }

  /** A list of items lists only items; a list of services only services. */
  assertListable(kind: 'item' | 'service', code: string): void {
    if (PriceListKindOf[kind] !== this.kind) {
      throw new KingaError(
        'price-list.line-kind-mismatch',
        { kind: this.kind, actual: kind, code },
        { field: 'lines' },
      );
    }
  }

  /** Whether the list applies on `date`: live, and from its start date on. */
  appliesOn(date: IsoDate): boolean {
    return priceListAppliesOn(this, date);
  }
}
PriceListSchema.setClass(PriceList);

export const PriceListLineSchema = defineEntity({
  name: 'PriceListLine',
  tableName: 'price_list_line',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    priceList: () => p.manyToOne(PriceList).index(),
    item: () => p.manyToOne(MedicalItem).nullable().index(),
    service: () => p.manyToOne(MedicalService).nullable().index(),
    priceOverrule: money().nullable(),
  },
  indexes: [
    {
      name: 'price_list_line_unique',
      expression:
        'create unique index "price_list_line_unique" on "price_list_line" ("price_list_id", coalesce("item_id", "service_id"))',
    },
  ],
});
export class PriceListLine extends PriceListLineSchema.class {}
PriceListLineSchema.setClass(PriceListLine);

/** PriceList.appliesOn over plain fields (eligibility reads the list as a row). */
export function priceListAppliesOn(
  list: { deletedAt?: Date | string | null; validFrom?: IsoDate | null },
  date: IsoDate,
): boolean {
  return list.deletedAt == null && (!list.validFrom || list.validFrom <= date);
}
