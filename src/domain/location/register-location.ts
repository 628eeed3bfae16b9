import type { EntityManager } from '@mikro-orm/core';
import { mapToDhis2 } from '../indicator/org-unit-mapping.ts';
import { Location } from './location.entity.ts';
import type { LocationInput } from './location-input.ts';
import { findLiveLocation } from './location.repository.ts';

/** Adds a location to the hierarchy: a unique code, under a parent of the level above. */
export async function registerLocation(em: EntityManager, input: LocationInput): Promise<Location> {
  const parent = input.parentId ? await findLiveLocation(em, input.parentId, 'parent') : null;
  const location = em.create(Location, {
    ...(input.id ? { id: input.id } : {}),
    code: input.code,
    name: input.name,
    type: input.type,
    status: input.status ?? 'active',
  });
  location.placeUnder(parent);
  await mapToDhis2(em, location, input);
  return location;
}
