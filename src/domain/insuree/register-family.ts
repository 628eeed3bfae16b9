import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { findLiveLocation } from '../location/location.repository.ts';
import { Family } from './family.entity.ts';
import type { FamilyInput } from './family-input.ts';
import type { Insuree } from './insuree.entity.ts';
import { findLiveInsuree, liveMembersOf } from './insuree.repository.ts';

/** Forms a family from registered insurees, one of whom heads it. */
export async function registerFamily(em: EntityManager, input: FamilyInput): Promise<Family> {
  const family = em.create(Family, { ...(input.id ? { id: input.id } : {}) });
  await applyFamilyInput(em, family, input);
  return family;
}

/**
 * Sets the family's facts and makes its membership exactly `memberIds` (plus `headId` when given):
 * newcomers join (a member of another family moves, a head of another family cannot), absentees
 * leave. The head is chosen by `headOf`.
 */
export async function applyFamilyInput(em: EntityManager, family: Family, input: FamilyInput): Promise<void> {
  if (input.villageId) {
    const village = await findLiveLocation(em, input.villageId, 'village');
    if (village.type !== 'V') {
      throw new KingaError('insuree.village-not-village', { actual: village.type }, { field: 'village' });
    }
    family.village = village;
  } else {
    family.village = null;
  }
  family.type = input.type ?? null;
  family.poverty = input.poverty ?? null;
  family.addressText = input.addressText ?? null;
  family.municipality = input.municipality ?? null;
  family.confirmationNumber = input.confirmationNumber ?? null;
  family.confirmationType = input.confirmationType ?? null;

  const duplicate = input.memberIds.find((id, index) => input.memberIds.indexOf(id) !== index);
  if (duplicate) {
    throw new KingaError('family.member-duplicate', { number: duplicate }, { field: 'members' });
  }
  const wanted = [...new Set([...(input.headId ? [input.headId] : []), ...input.memberIds])];

  const members = new Map<string, Insuree>();
  for (const id of wanted) {
    members.set(id, await findLiveInsuree(em, id, 'members'));
  }
  const head = headOf(family, members, input);
  if (!head) {
    throw new KingaError('family.head-required', {}, { field: 'head' });
  }
  const current = family.head ? await liveMembersOf(em, family) : [];

  for (const insuree of members.values()) {
    if (insuree.family && insuree.family.id !== family.id) {
      await em.populate(insuree, ['family']);
    }
    family.admit(insuree);
  }
  family.makeHead(head);
  for (const insuree of current) {
    if (!members.has(insuree.id)) {
      family.release(insuree);
    }
  }
}

/**
 * The head: the one named by `headId`; else the member holding `headInsuranceNumber`; else the
 * current head, if it stays a member; else the first member listed.
 */
function headOf(family: Family, members: Map<string, Insuree>, input: FamilyInput): Insuree | undefined {
  if (input.headId) {
    return members.get(input.headId);
  }
  const listed = [...members.values()];
  const numbered = input.headInsuranceNumber
    ? listed.find((m) => m.insuranceNumber === input.headInsuranceNumber)
    : undefined;
  return numbered ?? (family.head ? members.get(family.head.id) : undefined) ?? listed[0];
}
