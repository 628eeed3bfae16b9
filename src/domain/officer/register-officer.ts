import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Officer } from './officer.entity.ts';
import type { OfficerInput } from './officer-input.ts';
import { applyOfficerInput } from './apply-officer-input.ts';

/** Registers an enrolment officer or a claim administrator under a code unique among live officers. */
export async function registerOfficer(em: EntityManager, input: OfficerInput): Promise<Officer> {
  if (!input.role) {
    throw new KingaError('officer.role-required', {}, { field: 'role' });
  }
  const officer = em.create(Officer, {
    ...(input.id ? { id: input.id } : {}),
    role: input.role,
    code: '',
    lastName: '',
    otherNames: '',
  });
  await applyOfficerInput(em, officer, input);
  return officer;
}
