import type { EntityManager } from '@mikro-orm/core';
import { PatientCategory } from './medical-codes.ts';
import { MedicalItem } from './medical-item.entity.ts';
import type { MedicalItemInput } from './medical-item-input.ts';
import { limitedText, price, requiredText } from './medical-rules.ts';

/** Adds a drug or consumable to the register. The code is unique among live items (its index). */
export async function registerMedicalItem(em: EntityManager, input: MedicalItemInput): Promise<MedicalItem> {
  const item = em.create(MedicalItem, {
    ...(input.id ? { id: input.id } : {}),
    code: input.code,
    name: input.name,
    type: input.type,
    price: input.price,
  });
  applyMedicalItemInput(item, input);
  return item;
}

/** Copies the caller's facts onto the item and checks the register's rules. */
export function applyMedicalItemInput(item: MedicalItem, input: MedicalItemInput): void {
  item.code = requiredText(input.code, 'code', 50);
  item.name = requiredText(input.name, 'name', 200);
  item.type = input.type;
  item.package = input.package?.trim() ? limitedText(input.package.trim(), 'package', 100) : null;
  item.price = price(input.price, 'price');
  item.maximumQuantity = input.maximumQuantity ?? null;
  item.careType = input.careType ?? 'B';
  item.frequencyDays = input.frequencyDays ?? null;
  item.patientCategory = input.patientCategory ?? PatientCategory.all;
  item.validFrom = input.validFrom ?? null;
  item.validTo = input.validTo ?? null;
  item.assertConsistent();
}
