import type { EntityManager } from '@mikro-orm/core';
import type { PractitionerRole } from '@medplum/fhirtypes';
import { assignOfficer } from '../../domain/officer/assign-officer.ts';
import { Officer } from '../../domain/officer/officer.entity.ts';
import { findLiveOfficer } from '../../domain/officer/officer.repository.ts';
import { retireOfficer } from '../../domain/officer/retire-officer.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { touch } from '../../domain/shared/record.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import {
  officerToPractitionerRole,
  PRACTITIONER_ROLE_PROFILE,
  practitionerRoleFieldPaths,
  practitionerRoleToInput,
  type RoleInput,
} from './practitioner-role.mapper.ts';
import { practitionerRoleIncludeQueries, practitionerRoleSearchParams } from './practitioner-role.search.ts';

/**
 * PractitionerRole ⇄ the assignment of an officer. Officer and role are one record, so the role
 * has its Practitioner's id: a POST assigns the officer it names (as openIMIS clients do after
 * creating the Practitioner), a PUT replaces the assignment, and a DELETE retires the officer.
 */
export function practitionerRoleModule(): ResourceModule<Officer, RoleInput, PractitionerRole> {
  return {
    type: 'PractitionerRole',
    profile: PRACTITIONER_ROLE_PROFILE,
    entity: Officer,
    table: { table: 'officer', live: 't.deleted_at is null' },
    searchParams: practitionerRoleSearchParams,
    includeQueries: practitionerRoleIncludeQueries,
    fieldPaths: practitionerRoleFieldPaths,
    populate: ['villages'],
    projector: {
      resourceType: 'PractitionerRole',
      entity: Officer,
      async render(em, officers) {
        if (officers.length > 0) {
          await em.populate(officers, ['villages']);
        }
        return new Map(officers.map((o) => [o, officerToPractitionerRole(o)]));
      },
    },
    toInput: (resource) => practitionerRoleToInput(resource),
    create: async (em, input) => {
      const officer = await findLiveOfficer(em, input.practitionerId, 'practitioner');
      await assign(em, officer, input);
      // A POST answers with a new version of the role, even when it repeats the assignment.
      touch(officer);
      return officer;
    },
    update: (em, officer, input, expectedVersion) => assign(em, officer, input, expectedVersion),
    remove: (em, officer) => retireOfficer(em, officer),
  };
}

async function assign(
  em: EntityManager,
  officer: Officer,
  input: RoleInput,
  expectedVersion?: number,
): Promise<void> {
  for (const other of [input.id, input.practitionerId]) {
    if (other !== undefined && other !== officer.id) {
      throw new KingaError(
        'officer.assignment-mismatch',
        { expected: officer.id, actual: other },
        { field: 'practitioner' },
      );
    }
  }
  if (input.role && input.role !== officer.role) {
    throw new KingaError('officer.role-immutable', { role: officer.role }, { field: 'role' });
  }
  await assignOfficer(em, officer, input.assignment, expectedVersion);
}
