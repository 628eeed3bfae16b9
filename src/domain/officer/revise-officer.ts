import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { assertVersion } from '../shared/record.ts';
import type { Officer } from './officer.entity.ts';
import type { OfficerInput } from './officer-input.ts';
import { applyOfficerInput } from './apply-officer-input.ts';

/**
 * Replaces what is known of an officer. The role does not change: an enrolment officer and a
 * claim administrator are different registers in openIMIS, with different assignments.
 */
export async function reviseOfficer(
  em: EntityManager,
  officer: Officer,
  input: OfficerInput,
  expectedVersion?: number,
): Promise<void> {
  assertVersion(officer, expectedVersion, 'Practitioner');
  if (input.role && input.role !== officer.role) {
    throw new KingaError('officer.role-immutable', { role: officer.role }, { field: 'role' });
  }
  await applyOfficerInput(em, officer, input);
}
