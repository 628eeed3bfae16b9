import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { touch } from '../shared/record.ts';
import type { MedicalItem } from './medical-item.entity.ts';
import { MedicalService } from './medical-service.entity.ts';
import { PriceListLine } from './price-list.entity.ts';

/** Where items and services are used besides claims: in packages and on price lists. */

/**
 * Refuses to let an item or service that a live package lists (by code) lose that code. Packages
 * are few, so they are read and searched here rather than through a JSON index.
 */
export async function assertNotPackaged(
  em: EntityManager,
  kind: 'item' | 'service',
  code: string,
  field: string,
): Promise<void> {
  const packages = await em.find(MedicalService, { deletedAt: null, packageType: { $ne: 'S' } });
  const user = packages.find((p) =>
    (p.packageComponents ?? []).some((c) => c.kind === kind && c.code === code),
  );
  if (user) {
    throw new KingaError('medical.component-in-use', { kind, code, package: user.code }, { field });
  }
}

/** Takes a retired item or service off every price list, so no list names what cannot be claimed. */
export async function removeFromPriceLists(
  em: EntityManager,
  target: { item: MedicalItem } | { service: MedicalService },
): Promise<void> {
  const lines = await em.find(PriceListLine, target, { populate: ['priceList'] });
  for (const line of lines) {
    touch(line.priceList);
    em.remove(line);
  }
}
