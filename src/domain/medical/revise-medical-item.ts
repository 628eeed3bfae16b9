import type { EntityManager } from '@mikro-orm/core';
import { assertVersion } from '../shared/record.ts';
import type { MedicalItem } from './medical-item.entity.ts';
import type { MedicalItemInput } from './medical-item-input.ts';
import { assertNotPackaged } from './medical-usage.ts';
import { applyMedicalItemInput } from './register-medical-item.ts';

/** Changes an item; its code may change only while no package lists it by that code. */
export async function reviseMedicalItem(
  em: EntityManager,
  item: MedicalItem,
  input: MedicalItemInput,
  expectedVersion?: number,
): Promise<MedicalItem> {
  assertVersion(item, expectedVersion, 'Medication');
  if (input.code.trim() !== item.code) {
    await assertNotPackaged(em, 'item', item.code, 'code');
  }
  applyMedicalItemInput(item, input);
  return item;
}
