import type { Practitioner } from '@medplum/fhirtypes';
import { Officer } from '../../domain/officer/officer.entity.ts';
import type { OfficerInput } from '../../domain/officer/officer-input.ts';
import { registerOfficer } from '../../domain/officer/register-officer.ts';
import { retireOfficer } from '../../domain/officer/retire-officer.ts';
import { reviseOfficer } from '../../domain/officer/revise-officer.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import {
  officerToPractitioner,
  PRACTITIONER_PROFILE,
  practitionerFieldPaths,
  practitionerToOfficer,
} from './practitioner.mapper.ts';
import { practitionerSearchParams } from './practitioner.search.ts';

/**
 * Practitioner ⇄ officer register: the person. The same record is also published as a
 * PractitionerRole with the same id (src/fhir/practitioner-role), which carries the assignment.
 */
export function practitionerModule(): ResourceModule<Officer, OfficerInput, Practitioner> {
  return {
    type: 'Practitioner',
    profile: PRACTITIONER_PROFILE,
    entity: Officer,
    table: { table: 'officer', live: 't.deleted_at is null' },
    searchParams: practitionerSearchParams,
    fieldPaths: practitionerFieldPaths,
    populate: ['villages'],
    projector: {
      resourceType: 'Practitioner',
      entity: Officer,
      async render(_em, officers) {
        return new Map(officers.map((o) => [o, officerToPractitioner(o)]));
      },
    },
    toInput: (resource) => practitionerToOfficer(resource),
    create: (em, input) => registerOfficer(em, input),
    update: (em, officer, input, expectedVersion) => reviseOfficer(em, officer, input, expectedVersion),
    remove: (em, officer) => retireOfficer(em, officer),
  };
}
