import type { EntityManager } from '@mikro-orm/core';
import { isIsoDate, todayIsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { touch } from '../shared/record.ts';
import { findLiveLocation } from '../location/location.repository.ts';
import { findLiveOrganisation } from '../organisation/organisation.repository.ts';
import type { Insuree } from './insuree.entity.ts';
import type { InsureeInput } from './insuree-input.ts';
import { findLiveFamily } from './insuree.repository.ts';

/**
 * Copies the caller's facts onto an insuree and checks them: a name, a birth date not in the
 * future, a village that is a village, a first point of service that is a health facility. Family
 * membership and headship go through the family, so its published form stays in step.
 */
export async function applyInsureeInput(
  em: EntityManager,
  insuree: Insuree,
  input: InsureeInput,
): Promise<void> {
  const lastName = input.lastName?.trim();
  const otherNames = input.otherNames?.trim();
  if (!lastName || !otherNames) {
    throw new KingaError('insuree.name-required', {}, { field: 'name' });
  }
  if (input.birthDate && (!isIsoDate(input.birthDate) || input.birthDate > todayIsoDate())) {
    throw new KingaError('insuree.birth-date-future', { date: input.birthDate }, { field: 'birthDate' });
  }
  const headRenamed = insuree.isHead && insuree.lastName !== lastName;
  insuree.lastName = lastName;
  insuree.otherNames = otherNames;
  insuree.birthDate = input.birthDate ?? null;
  insuree.gender = input.gender ?? null;
  insuree.maritalStatus = input.maritalStatus ?? null;
  insuree.status = input.status ?? 'AC';
  insuree.phone = input.phone ?? null;
  insuree.email = input.email ?? null;
  insuree.addressText = input.addressText ?? null;
  insuree.municipality = input.municipality ?? null;
  insuree.identityDocumentType = input.identityDocumentType ?? null;
  insuree.identityDocumentNumber = input.identityDocumentNumber ?? null;
  insuree.relationship = input.relationship ?? null;
  insuree.cardIssued = input.cardIssued ?? false;
  insuree.profession = input.profession ?? null;
  insuree.education = input.education ?? null;
  insuree.photo = input.photo ?? null;

  if (input.villageId) {
    const village = await findLiveLocation(em, input.villageId, 'village');
    if (village.type !== 'V') {
      throw new KingaError('insuree.village-not-village', { actual: village.type }, { field: 'village' });
    }
    insuree.village = village;
  } else {
    insuree.village = null;
  }

  if (input.firstServicePointId) {
    const facility = await findLiveOrganisation(em, input.firstServicePointId, 'firstServicePoint');
    if (!facility.isHealthFacility()) {
      throw new KingaError('insuree.facility-not-health-facility', {}, { field: 'firstServicePoint' });
    }
    insuree.firstServicePoint = facility;
  } else {
    insuree.firstServicePoint = null;
  }

  await applyMembership(em, insuree, input);
  // A family is published under its head's family name.
  if (headRenamed && insuree.isHead && insuree.family) {
    touch(await findLiveFamily(em, insuree.family.id, 'family'));
  }
}

async function applyMembership(em: EntityManager, insuree: Insuree, input: InsureeInput): Promise<void> {
  const current = insuree.family ?? null;
  const wantedId = input.familyId === undefined ? current?.id : (input.familyId ?? undefined);
  if (!wantedId) {
    if (input.isHead) {
      throw new KingaError('family.head-required', {}, { field: 'family' });
    }
    if (current) {
      (await findLiveFamily(em, current.id, 'family')).release(insuree);
    }
    return;
  }
  const family = await findLiveFamily(em, wantedId, 'family');
  if (current && current.id !== family.id) {
    await findLiveFamily(em, current.id, 'family');
  }
  family.admit(insuree);
  if (input.isHead) {
    family.makeHead(insuree);
  } else if (family.head?.id === insuree.id && input.isHead === false) {
    throw new KingaError('family.head-removal', {}, { field: 'isHead' });
  }
}
