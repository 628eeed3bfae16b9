import type { Location as FhirLocation } from '@medplum/fhirtypes';
import { Location } from '../../domain/location/location.entity.ts';
import type { LocationInput } from '../../domain/location/location-input.ts';
import { registerLocation } from '../../domain/location/register-location.ts';
import { retireLocation } from '../../domain/location/retire-location.ts';
import { reviseLocation } from '../../domain/location/revise-location.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import { fhirToLocation, LOCATION_PROFILE, locationFieldPaths, locationToFhir } from './location.mapper.ts';
import { locationSearchParams } from './location.search.ts';

/** Location ⇄ location register (the R/D/W/V hierarchy). */
export function locationModule(): ResourceModule<Location, LocationInput, FhirLocation> {
  return {
    type: 'Location',
    profile: LOCATION_PROFILE,
    entity: Location,
    table: { table: 'location', live: 't.deleted_at is null' },
    searchParams: locationSearchParams,
    fieldPaths: locationFieldPaths,
    projector: {
      resourceType: 'Location',
      entity: Location,
      async render(_em, locations) {
        return new Map(locations.map((l) => [l, locationToFhir(l)]));
      },
    },
    toInput: (resource) => fhirToLocation(resource),
    create: (em, input) => registerLocation(em, input),
    update: async (em, location, input, expectedVersion) => {
      await reviseLocation(em, location, input, expectedVersion);
    },
    remove: (em, location) => retireLocation(em, location),
  };
}
