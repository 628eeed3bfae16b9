import type { EntityManager } from '@mikro-orm/core';
import { assertVersion } from '../shared/record.ts';
import type { MedicalService } from './medical-service.entity.ts';
import type { MedicalServiceInput } from './medical-service-input.ts';
import { assertNotPackaged } from './medical-usage.ts';
import { applyMedicalServiceInput } from './register-medical-service.ts';

/** Changes a service; its code may change only while no package lists it by that code. */
export async function reviseMedicalService(
  em: EntityManager,
  service: MedicalService,
  input: MedicalServiceInput,
  expectedVersion?: number,
): Promise<MedicalService> {
  assertVersion(service, expectedVersion, 'ActivityDefinition');
  if (input.code.trim() !== service.code) {
    await assertNotPackaged(em, 'service', service.code, 'code');
  }
  await applyMedicalServiceInput(em, service, input);
  return service;
}
