import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Location } from './location.entity.ts';

/** A live (not retired) location by id, or a 422 naming the field that referenced it. */
export async function findLiveLocation(em: EntityManager, id: string, field: string): Promise<Location> {
  const location = await em.findOne(Location, { id, deletedAt: null });
  if (!location) {
    throw new KingaError('location.not-found', { id }, { field });
  }
  return location;
}
