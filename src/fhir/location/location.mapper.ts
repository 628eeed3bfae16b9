import type { Location as FhirLocation } from '@medplum/fhirtypes';
import {
  LocationTypeNames,
  LocationTypes,
  type Location,
  type LocationType,
} from '../../domain/location/location.entity.ts';
import type { LocationInput } from '../../domain/location/location-input.ts';
import {
  codeIdentifier,
  compact,
  identifierTypeCode,
  profileViolation,
  referenceId,
  uuidIdentifier,
} from '../shared/fhir-values.ts';
import { dhis2Identifiers, dhis2MappingOf } from '../shared/dhis2-identifiers.ts';
import { KINGA, kingaProfile, openImisCodeSystem } from '../shared/openimis.ts';

export const LOCATION_PROFILE = kingaProfile('kinga-location');
export const LOCATION_CODE_SYSTEM = `${KINGA}/NamingSystem/location-code`;
export const LOCATION_TYPE_SYSTEM = openImisCodeSystem('location-type');

/** Displays of the IG's location-type CodeSystem (its V reads "City/Village"). */
const typeDisplays: Record<LocationType, string> = { ...LocationTypeNames, V: 'City/Village' };

export const locationFieldPaths: Record<string, string> = {
  code: 'Location.identifier',
  name: 'Location.name',
  type: 'Location.physicalType',
  status: 'Location.status',
  parent: 'Location.partOf',
  dhis2Uid: 'Location.identifier',
  dhis2Code: 'Location.identifier',
};

/** Location record → FHIR Location, in openIMIS's shape (identifiers UUID and Code, mode instance). */
export function locationToFhir(location: Location): FhirLocation {
  return compact<FhirLocation>({
    resourceType: 'Location',
    meta: { profile: [LOCATION_PROFILE] },
    identifier: [
      uuidIdentifier(location.id),
      codeIdentifier(LOCATION_CODE_SYSTEM, location.code),
      ...dhis2Identifiers(location),
    ],
    status: location.status,
    name: location.name,
    mode: 'instance',
    physicalType: {
      coding: [{ system: LOCATION_TYPE_SYSTEM, code: location.type, display: typeDisplays[location.type] }],
    },
    partOf: location.parent ? { reference: `Location/${location.parent.id}` } : undefined,
  });
}

/** FHIR Location → what the location use cases take; the parent is checked by the use case. */
export function fhirToLocation(resource: FhirLocation): LocationInput {
  const code = resource.identifier?.find(
    (i) => i.system === LOCATION_CODE_SYSTEM || identifierTypeCode(i) === 'Code',
  )?.value;
  if (!code?.trim()) {
    throw profileViolation(
      LOCATION_PROFILE,
      'Location.identifier',
      'A location needs its code: an identifier of type Code',
    );
  }
  const name = resource.name?.trim();
  if (!name) {
    throw profileViolation(LOCATION_PROFILE, 'Location.name', 'A location needs a name');
  }
  const typeCode = resource.physicalType?.coding?.find(
    (c) => !c.system || c.system === LOCATION_TYPE_SYSTEM,
  )?.code;
  if (!LocationTypes.includes(typeCode as LocationType)) {
    throw profileViolation(
      LOCATION_PROFILE,
      'Location.physicalType',
      `physicalType must be a ${LOCATION_TYPE_SYSTEM} code: ${LocationTypes.join(', ')}`,
    );
  }
  return {
    code: code.trim(),
    name,
    type: typeCode as LocationType,
    // Kinga keeps active and inactive; a suspended location takes no new records either.
    ...(resource.status ? { status: resource.status === 'active' ? 'active' : 'inactive' } : {}),
    parentId: referenceId(resource.partOf, 'Location', 'Location.partOf') ?? null,
    ...dhis2MappingOf(resource.identifier),
  };
}
