import type { EntityManager } from '@mikro-orm/core';
import type { MedicalService } from './medical-service.entity.ts';
import { assertNotPackaged, removeFromPriceLists } from './medical-usage.ts';

/** Retires a service: price lists drop it; a package that lists it must let it go first. */
export async function retireMedicalService(em: EntityManager, service: MedicalService): Promise<void> {
  await assertNotPackaged(em, 'service', service.code, 'code');
  await removeFromPriceLists(em, { service });
  service.deletedAt = new Date();
}
