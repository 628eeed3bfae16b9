import type { EntityManager } from '@mikro-orm/core';
import type { MedicalItem } from './medical-item.entity.ts';
import { assertNotPackaged, removeFromPriceLists } from './medical-usage.ts';

/**
 * Retires an item: claims and history keep pointing at it, price lists drop it, and a package
 * that lists it must let it go first.
 */
export async function retireMedicalItem(em: EntityManager, item: MedicalItem): Promise<void> {
  await assertNotPackaged(em, 'item', item.code, 'code');
  await removeFromPriceLists(em, { item });
  item.deletedAt = new Date();
}
