import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { compareMoney } from '../shared/money.ts';
import { MedicalItem } from './medical-item.entity.ts';
import { MedicalService } from './medical-service.entity.ts';
import { price } from './medical-rules.ts';
import type { PriceListLineInput } from './price-list-input.ts';
import { PriceListLine, type PriceList } from './price-list.entity.ts';

interface Target {
  kind: 'item' | 'service';
  record: MedicalItem | MedicalService;
}

/**
 * Makes the list's lines the ones given: lines of items or services already listed keep their row
 * (their overrule may change), new ones are added, the others removed. Each line names one live
 * item or service of the list's kind, once. Returns whether any line changed.
 */
export async function replacePriceListLines(
  em: EntityManager,
  list: PriceList,
  inputs: PriceListLineInput[],
  existing: PriceListLine[],
): Promise<boolean> {
  const targets = await resolveTargets(em, inputs);
  const byTarget = new Map(existing.map((line) => [(line.item ?? line.service)!.id, line]));
  const seen = new Set<string>();
  let changed = false;
  inputs.forEach((input, index) => {
    const { kind, record } = targets[index]!;
    list.assertListable(kind, record.code);
    if (seen.has(record.id)) {
      throw new KingaError('price-list.line-duplicate', { code: record.code }, { field: 'lines' });
    }
    seen.add(record.id);
    const overrule =
      input.priceOverrule === null || input.priceOverrule === undefined
        ? null
        : price(input.priceOverrule, 'priceOverrule');
    const line = byTarget.get(record.id);
    if (!line) {
      em.create(PriceListLine, {
        priceList: list,
        item: kind === 'item' ? (record as MedicalItem) : null,
        service: kind === 'service' ? (record as MedicalService) : null,
        priceOverrule: overrule,
      });
      changed = true;
    } else if (!sameMoney(line.priceOverrule, overrule)) {
      line.priceOverrule = overrule;
      changed = true;
    }
  });
  for (const line of existing) {
    if (!seen.has((line.item ?? line.service)!.id)) {
      em.remove(line);
      changed = true;
    }
  }
  return changed;
}

/** The live item or service of each line, read in two queries. */
async function resolveTargets(em: EntityManager, inputs: PriceListLineInput[]): Promise<Target[]> {
  for (const input of inputs) {
    if (!input.itemId === !input.serviceId) {
      throw new KingaError('price-list.line-target', {}, { field: 'lines' });
    }
  }
  const itemIds = inputs.flatMap((i) => (i.itemId ? [i.itemId] : []));
  const serviceIds = inputs.flatMap((i) => (i.serviceId ? [i.serviceId] : []));
  const items = byId(
    itemIds.length ? await em.find(MedicalItem, { id: { $in: itemIds }, deletedAt: null }) : [],
  );
  const services = byId(
    serviceIds.length ? await em.find(MedicalService, { id: { $in: serviceIds }, deletedAt: null }) : [],
  );
  return inputs.map((input) => {
    if (input.itemId) {
      const record = items.get(input.itemId);
      if (!record) {
        throw new KingaError('medical.item-not-found', { id: input.itemId }, { field: 'lines.item' });
      }
      return { kind: 'item', record };
    }
    const record = services.get(input.serviceId!);
    if (!record) {
      throw new KingaError('medical.service-not-found', { id: input.serviceId! }, { field: 'lines.item' });
    }
    return { kind: 'service', record };
  });
}

function byId<T extends { id: string }>(records: T[]): Map<string, T> {
  return new Map(records.map((r) => [r.id, r]));
}

function sameMoney(a: string | null | undefined, b: string | null): boolean {
  if (a == null || b === null) {
    return a == null && b === null;
  }
  return compareMoney(a, b) === 0;
}
