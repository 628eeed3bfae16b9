import type { EntityManager } from '@mikro-orm/core';
import { isIsoDate, todayIsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import type { Officer } from './officer.entity.ts';
import type { OfficerInput } from './officer-input.ts';
import { assignOfficer } from './assign-officer.ts';

/** Copies the caller's facts about the person onto an officer, then the assignment when one is given. */
export async function applyOfficerInput(
  em: EntityManager,
  officer: Officer,
  input: OfficerInput,
): Promise<void> {
  const code = input.code?.trim();
  if (!code) {
    throw new KingaError('officer.code-required', {}, { field: 'code' });
  }
  const lastName = input.lastName?.trim();
  const otherNames = input.otherNames?.trim();
  if (!lastName || !otherNames) {
    throw new KingaError('officer.name-required', {}, { field: 'name' });
  }
  if (input.birthDate && (!isIsoDate(input.birthDate) || input.birthDate > todayIsoDate())) {
    throw new KingaError('officer.birth-date-future', { date: input.birthDate }, { field: 'birthDate' });
  }
  officer.code = code;
  officer.lastName = lastName;
  officer.otherNames = otherNames;
  officer.birthDate = input.birthDate ?? null;
  officer.phone = input.phone ?? null;
  officer.email = input.email ?? null;
  if (input.assignment) {
    await assignOfficer(em, officer, input.assignment);
  }
}
