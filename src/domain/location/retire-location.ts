import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Location } from './location.entity.ts';

/** Retires a location; one that still contains live locations must be emptied first. */
export async function retireLocation(em: EntityManager, location: Location): Promise<void> {
  const children = await em.count(Location, { parent: location, deletedAt: null });
  if (children > 0) {
    throw new KingaError('location.has-children', { code: location.code });
  }
  location.deletedAt = new Date();
}
