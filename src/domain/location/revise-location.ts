import type { EntityManager } from '@mikro-orm/core';
import { mapToDhis2 } from '../indicator/org-unit-mapping.ts';
import { KingaError } from '../shared/errors.ts';
import { assertVersion } from '../shared/record.ts';
import { Location } from './location.entity.ts';
import type { LocationInput } from './location-input.ts';
import { findLiveLocation } from './location.repository.ts';

/** Changes a location's code, name, status or place in the hierarchy. */
export async function reviseLocation(
  em: EntityManager,
  location: Location,
  input: LocationInput,
  expectedVersion?: number,
): Promise<Location> {
  assertVersion(location, expectedVersion, 'Location');
  if (input.type !== location.type) {
    // A level change would misplace the locations below it.
    const children = await em.count(Location, { parent: location, deletedAt: null });
    if (children > 0) {
      throw new KingaError('location.has-children', { code: location.code }, { field: 'type' });
    }
  }
  const parent = input.parentId ? await findLiveLocation(em, input.parentId, 'parent') : null;
  location.code = input.code;
  location.name = input.name;
  location.type = input.type;
  location.status = input.status ?? location.status;
  location.placeUnder(parent);
  await mapToDhis2(em, location, input);
  return location;
}
