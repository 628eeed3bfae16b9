import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { assertVersion, touch } from '../shared/record.ts';
import { Location } from '../location/location.entity.ts';
import { findLiveLocation } from '../location/location.repository.ts';
import { Organisation } from '../organisation/organisation.entity.ts';
import { findLiveOrganisation } from '../organisation/organisation.repository.ts';
import { Officer } from './officer.entity.ts';
import type { OfficerAssignment } from './officer-input.ts';
import { findLiveOfficer } from './officer.repository.ts';

const ROLE_NAMES = { EO: 'enrolment', CA: 'claim administrator' } as const;

/**
 * Replaces where and with whom an officer works. An enrolment officer works in one district and
 * the villages below it, may name a substitute (never in a circle) and a last working day; a claim
 * administrator works at one health facility. A field of the other role is refused, not ignored.
 */
export async function assignOfficer(
  em: EntityManager,
  officer: Officer,
  assignment: OfficerAssignment,
  expectedVersion?: number,
): Promise<void> {
  assertVersion(officer, expectedVersion, 'PractitionerRole');
  if (officer.isEnrolmentOfficer()) {
    refuse(officer, assignment.facilityId ?? assignment.facilityCode, 'health facility', 'facility');
    await assignArea(em, officer, assignment.locationIds ?? []);
    officer.substitute = assignment.substituteId
      ? await substituteFor(em, officer, assignment.substituteId)
      : null;
    officer.worksTo = assignment.worksTo ?? null;
  } else {
    refuse(officer, assignment.locationIds?.length ? assignment.locationIds : undefined, 'area', 'location');
    refuse(officer, assignment.substituteId, 'substitute', 'substitute');
    refuse(officer, assignment.worksTo, 'end of work date', 'worksTo');
    officer.facility = await facilityOf(em, assignment);
  }
}

function refuse(officer: Officer, value: unknown, name: string, field: string): void {
  if (value !== undefined && value !== null) {
    throw new KingaError(
      'officer.field-not-for-role',
      { role: ROLE_NAMES[officer.role], field: name },
      { field },
    );
  }
}

/** The district and villages from a list of both; the district follows from the villages when absent. */
async function assignArea(em: EntityManager, officer: Officer, locationIds: string[]): Promise<void> {
  let district: Location | undefined;
  const villages: Location[] = [];
  for (const id of new Set(locationIds)) {
    const location = await findLiveLocation(em, id, 'location');
    if (location.type === 'D') {
      if (district && district.id !== location.id) {
        throw new KingaError('officer.one-district', {}, { field: 'location' });
      }
      district = location;
    } else if (location.type === 'V') {
      villages.push(location);
    } else {
      throw new KingaError('officer.location-type', { actual: location.type }, { field: 'location' });
    }
  }
  for (const village of villages) {
    const own = await districtOf(em, village);
    district ??= own;
    if (own?.id !== district?.id) {
      throw new KingaError(
        'officer.village-outside-district',
        { village: village.code, district: district?.code ?? '' },
        { field: 'location' },
      );
    }
  }
  officer.location = district ?? null;
  if (!officer.villages.isInitialized()) {
    await officer.villages.init();
  }
  const idsOf = (list: Location[]) =>
    list
      .map((v) => v.id)
      .sort()
      .join();
  if (idsOf(officer.villages.getItems()) !== idsOf(villages)) {
    officer.villages.set(villages);
    // The villages live in a pivot table: mark the officer changed so its published form follows.
    touch(officer);
  }
}

/** village → ward → district */
async function districtOf(em: EntityManager, village: Location): Promise<Location | undefined> {
  const loaded = await em.findOne(Location, { id: village.id }, { populate: ['parent', 'parent.parent'] });
  return loaded?.parent?.parent ?? undefined;
}

/** Another live enrolment officer, whose own chain of substitutes does not lead back to `officer`. */
async function substituteFor(em: EntityManager, officer: Officer, substituteId: string): Promise<Officer> {
  const substitute = await findLiveOfficer(em, substituteId, 'substitute');
  if (!substitute.isEnrolmentOfficer()) {
    throw new KingaError('officer.substitute-not-enrolment-officer', {}, { field: 'substitute' });
  }
  const seen = new Set<string>();
  let next: Officer | null = substitute;
  while (next && !seen.has(next.id)) {
    if (next.id === officer.id) {
      throw new KingaError(
        'officer.substitute-cycle',
        { code: officer.code, substitute: substitute.code },
        { field: 'substitute' },
      );
    }
    seen.add(next.id);
    const nextId: string | undefined = next.substitute?.id;
    next = nextId ? await em.findOne(Officer, { id: nextId, deletedAt: null }) : null;
  }
  return substitute;
}

async function facilityOf(em: EntityManager, assignment: OfficerAssignment): Promise<Organisation | null> {
  let facility: Organisation | null = null;
  if (assignment.facilityId) {
    facility = await findLiveOrganisation(em, assignment.facilityId, 'facility');
  } else if (assignment.facilityCode) {
    facility = await em.findOne(Organisation, { code: assignment.facilityCode, deletedAt: null });
    if (!facility) {
      throw new KingaError('organisation.not-found', { id: assignment.facilityCode }, { field: 'facility' });
    }
  }
  if (facility && !facility.isHealthFacility()) {
    throw new KingaError('officer.facility-not-health-facility', {}, { field: 'facility' });
  }
  return facility;
}
