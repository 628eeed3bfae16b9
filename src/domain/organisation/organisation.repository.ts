import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Organisation } from './organisation.entity.ts';

export async function findLiveOrganisation(
  em: EntityManager,
  id: string,
  field: string,
): Promise<Organisation> {
  const organisation = await em.findOne(Organisation, { id, deletedAt: null });
  if (!organisation) {
    throw new KingaError('organisation.not-found', { id }, { field });
  }
  return organisation;
}
