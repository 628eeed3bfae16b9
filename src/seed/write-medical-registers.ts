import type { EntityManager } from '@mikro-orm/core';
import { DiagnosisList, DiagnosisValueSet } from '../domain/medical/diagnosis-list.entity.ts';
import { registerDiagnosis } from '../domain/medical/register-diagnosis.ts';
import { registerMedicalItem } from '../domain/medical/register-medical-item.ts';
import { registerMedicalService } from '../domain/medical/register-medical-service.ts';
import { registerPriceList } from '../domain/medical/register-price-list.ts';
import type { PriceListKind } from '../domain/medical/price-list.entity.ts';
import type { FacilityLevel } from '../domain/organisation/organisation.entity.ts';
import { inTransaction, type WriteContext } from '../platform/database/unit-of-work.ts';
import {
  priceListsByLevel,
  trainingDiagnoses,
  trainingItems,
  trainingServices,
} from './medical-catalogue.ts';
import type { SeededRandom } from './random.ts';

/** The day the training price lists apply from: fixed, so a seed always draws the same lists. */
const PRICE_LISTS_FROM = '2024-01-01';
const LEVEL_NAMES: Record<FacilityLevel, string> = {
  D: 'Dispensary',
  C: 'Health centre',
  H: 'Hospital',
};

/** What the rest of the seed needs of the medical registers: record ids by code, list ids by level. */
export interface MedicalRegisters {
  itemIds: ReadonlyMap<string, string>;
  /** Codes of the items that are drugs (the others are consumables). */
  drugCodes: ReadonlySet<string>;
  serviceIds: ReadonlyMap<string, string>;
  priceLists: Record<FacilityLevel, Record<PriceListKind, string>>;
  counts: { items: number; services: number; diagnoses: number; priceLists: number };
}

/**
 * Registers the training formulary, service list and ICD-10 list through the registers' use
 * cases, then a list of items and one of services per facility level, some lines at a price of
 * their own. Ids are drawn from the seed. The diagnosis list and its value set are created as
 * createDiagnosisList creates them, with drawn ids (the use case draws fresh ones).
 */
export async function writeMedicalRegisters(
  em: EntityManager,
  context: WriteContext,
  random: SeededRandom,
): Promise<MedicalRegisters> {
  const itemIds = new Map(trainingItems.map((item) => [item.code, random.id()]));
  const serviceIds = new Map(trainingServices.map((service) => [service.code, random.id()]));
  const listIds = { id: random.id(), valueSetId: random.id() };
  await inTransaction(em, context, async (tx) => {
    for (const item of trainingItems) {
      await registerMedicalItem(tx, { ...item, id: itemIds.get(item.code)! });
    }
    for (const service of trainingServices) {
      await registerMedicalService(tx, { ...service, id: serviceIds.get(service.code)! });
    }
    tx.create(DiagnosisValueSet, { id: listIds.valueSetId });
    const list = tx.create(DiagnosisList, { id: listIds.id, title: 'ICD-10 diagnoses (training)' });
    for (const diagnosis of trainingDiagnoses) {
      registerDiagnosis(tx, list, diagnosis);
    }
  });
  em.clear();

  const priceLists = {} as MedicalRegisters['priceLists'];
  await inTransaction(em, context, async (tx) => {
    for (const level of ['D', 'C', 'H'] as const) {
      const plan = priceListsByLevel[level];
      const lines = (codes: 'all' | readonly string[], ids: ReadonlyMap<string, string>, key: string) =>
        (codes === 'all' ? [...ids.keys()] : codes).map((code) => ({
          [key]: ids.get(code)!,
          priceOverrule: plan.overrules[code] ?? null,
        }));
      const items = await registerPriceList(tx, {
        id: random.id(),
        name: `${LEVEL_NAMES[level]} items`,
        kind: 'items',
        validFrom: PRICE_LISTS_FROM,
        lines: lines(plan.items, itemIds, 'itemId'),
      });
      const services = await registerPriceList(tx, {
        id: random.id(),
        name: `${LEVEL_NAMES[level]} services`,
        kind: 'services',
        validFrom: PRICE_LISTS_FROM,
        lines: lines(plan.services, serviceIds, 'serviceId'),
      });
      priceLists[level] = { items: items.id, services: services.id };
    }
  });
  em.clear();
  return {
    itemIds,
    drugCodes: new Set(trainingItems.filter((item) => item.type === 'D').map((item) => item.code)),
    serviceIds,
    priceLists,
    counts: {
      items: trainingItems.length,
      services: trainingServices.length,
      diagnoses: trainingDiagnoses.length,
      priceLists: 6,
    },
  };
}
