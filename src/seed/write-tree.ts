import type { EntityManager } from '@mikro-orm/core';
import { Location } from '../domain/location/location.entity.ts';
import { PriceList, type PriceListKind } from '../domain/medical/price-list.entity.ts';
import { Organisation, type FacilityLevel } from '../domain/organisation/organisation.entity.ts';
import { inTransaction, type WriteContext } from '../platform/database/unit-of-work.ts';
import type { FacilityPlan, PlacePlan } from './plan-tree.ts';

/** Contracts of the training facilities, fixed so that a seed always draws the same data. */
const CONTRACT = { start: '2024-01-01', end: '2027-12-31' };

/** Writes one batch of locations of one level; their parents are loaded, as placing checks their level. */
export async function writePlaces(
  em: EntityManager,
  context: WriteContext,
  places: PlacePlan[],
): Promise<void> {
  await inTransaction(em, context, async (tx) => {
    const parentIds = [...new Set(places.map((p) => p.parentId).filter((id) => id !== null))];
    const parents = new Map((await tx.find(Location, { id: { $in: parentIds } })).map((l) => [l.id, l]));
    for (const plan of places) {
      const location = tx.create(Location, {
        id: plan.id,
        code: plan.code,
        name: plan.name,
        type: plan.type,
      });
      location.placeUnder(plan.parentId ? parents.get(plan.parentId)! : null);
    }
  });
}

/** Writes one batch of health facilities, each in its district, with its level's price lists. */
export async function writeFacilities(
  em: EntityManager,
  context: WriteContext,
  facilities: FacilityPlan[],
  priceLists: Record<FacilityLevel, Record<PriceListKind, string>>,
): Promise<void> {
  await inTransaction(em, context, async (tx) => {
    const districtIds = [...new Set(facilities.map((f) => f.districtId))];
    const districts = new Map((await tx.find(Location, { id: { $in: districtIds } })).map((d) => [d.id, d]));
    for (const plan of facilities) {
      const facility = tx.create(Organisation, {
        id: plan.id,
        kind: 'health-facility',
        code: plan.code,
        name: plan.name,
        level: plan.level,
        careType: plan.careType,
        legalForm: plan.legalForm,
        location: districts.get(plan.districtId)!,
        city: plan.city,
        district: plan.city,
        phone: plan.phone,
        contractStart: CONTRACT.start,
        contractEnd: CONTRACT.end,
        itemsPriceList: tx.getReference(PriceList, priceLists[plan.level].items),
        servicesPriceList: tx.getReference(PriceList, priceLists[plan.level].services),
      });
      facility.assertConsistent();
    }
  });
}

/** The scheme's insurer; its code marks a database as seeded. */
export async function writeInsurer(
  em: EntityManager,
  context: WriteContext,
  insurer: { id: string; code: string; name: string },
): Promise<void> {
  await inTransaction(em, context, async (tx) => {
    tx.create(Organisation, {
      ...insurer,
      kind: 'insurer',
      email: 'training@insurer.example',
    }).assertConsistent();
  });
}
