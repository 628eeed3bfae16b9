import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { MedicalItem } from './medical-item.entity.ts';
import type { PackageComponent } from './medical-service.entity.ts';
import { MedicalService } from './medical-service.entity.ts';
import type { PackageComponentInput } from './medical-service-input.ts';
import { price } from './medical-rules.ts';

const FIELD = 'packageComponents';

/**
 * The components of a package as the register keeps them (by code), each naming a live item or
 * service: a component that does not exist is refused here, when the package is written.
 */
export async function resolvePackageComponents(
  em: EntityManager,
  inputs: PackageComponentInput[],
): Promise<PackageComponent[]> {
  const components: PackageComponent[] = [];
  for (const input of inputs) {
    const record = await liveComponent(em, input);
    components.push({
      kind: input.kind,
      code: record.code,
      quantity: input.quantity,
      ...(input.price === null || input.price === undefined ? {} : { price: price(input.price, FIELD) }),
    });
  }
  return components;
}

async function liveComponent(
  em: EntityManager,
  input: PackageComponentInput,
): Promise<MedicalItem | MedicalService> {
  const where = input.id ? { id: input.id, deletedAt: null } : { code: input.code ?? '', deletedAt: null };
  const record =
    input.kind === 'item' ? await em.findOne(MedicalItem, where) : await em.findOne(MedicalService, where);
  if (!record) {
    const id = input.id ?? input.code ?? '';
    throw new KingaError(
      input.kind === 'item' ? 'medical.item-not-found' : 'medical.service-not-found',
      { id },
      { field: FIELD },
    );
  }
  return record;
}
