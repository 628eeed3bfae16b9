import type { EntityManager } from '@mikro-orm/core';
import { PatientCategory } from './medical-codes.ts';
import { MedicalService } from './medical-service.entity.ts';
import type { MedicalServiceInput } from './medical-service-input.ts';
import { price, requiredText } from './medical-rules.ts';
import { resolvePackageComponents } from './package-components.ts';

/** Adds a medical service (or a package of items and services) to the register. */
export async function registerMedicalService(
  em: EntityManager,
  input: MedicalServiceInput,
): Promise<MedicalService> {
  const service = em.create(MedicalService, {
    ...(input.id ? { id: input.id } : {}),
    code: input.code,
    name: input.name,
    type: input.type,
    level: input.level,
    price: input.price,
  });
  await applyMedicalServiceInput(em, service, input);
  return service;
}

/** Copies the caller's facts onto the service, resolves its components, and checks the rules. */
export async function applyMedicalServiceInput(
  em: EntityManager,
  service: MedicalService,
  input: MedicalServiceInput,
): Promise<void> {
  service.code = requiredText(input.code, 'code', 50);
  service.name = requiredText(input.name, 'name', 200);
  service.type = input.type;
  service.level = input.level;
  service.category = input.category ?? 'O';
  service.price = price(input.price, 'price');
  service.maximumQuantity = input.maximumQuantity ?? null;
  service.careType = input.careType ?? 'B';
  service.frequencyDays = input.frequencyDays ?? null;
  service.patientCategory = input.patientCategory ?? PatientCategory.all;
  service.packageType = input.packageType ?? 'S';
  service.manualPrice = input.manualPrice ?? false;
  const components = await resolvePackageComponents(em, input.components ?? []);
  service.packageComponents = components.length > 0 ? components : null;
  service.validFrom = input.validFrom ?? null;
  service.validTo = input.validTo ?? null;
  service.assertConsistent();
}
