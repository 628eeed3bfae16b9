import type { Extension, Location, PractitionerRole, Reference } from '@medplum/fhirtypes';
import type { Officer, OfficerRole } from '../../domain/officer/officer.entity.ts';
import type { OfficerAssignment } from '../../domain/officer/officer-input.ts';
import { isIsoDate } from '../../domain/shared/dates.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import {
  codeFrom,
  codeIdentifier,
  compact,
  concept,
  findExtension,
  profileViolation,
  referenceId,
} from '../shared/fhir-values.ts';
import { extensionPath, kingaProfile, openImisExtension } from '../shared/openimis.ts';
import {
  facilityAssignment,
  OFFICER_CODE_SYSTEM,
  QUALIFICATION_SYSTEM,
  roleDisplays,
} from '../practitioner/practitioner.mapper.ts';

export const PRACTITIONER_ROLE_PROFILE = kingaProfile('kinga-practitioner-role');

export const PractitionerRoleExtensions = {
  substitute: openImisExtension('practitioner-role-substitution-reference'),
} as const;

/** What a PractitionerRole says: whose assignment it is, and the assignment. */
export interface RoleInput {
  id?: string;
  practitionerId: string;
  role?: OfficerRole;
  assignment: OfficerAssignment;
}

export const practitionerRoleFieldPaths: Record<string, string> = {
  practitioner: 'PractitionerRole.practitioner',
  role: 'PractitionerRole.code',
  location: 'PractitionerRole.location',
  substitute: extensionPath('PractitionerRole', PractitionerRoleExtensions.substitute),
  worksTo: 'PractitionerRole.period.end',
  facility: 'PractitionerRole.organization',
};

/**
 * Officer → PractitionerRole (same id as its Practitioner): an enrolment officer's district and
 * villages as `location` and substitute (openIMIS extension); a claim administrator's facility as
 * `organization`.
 */
export function officerToPractitionerRole(officer: Officer): PractitionerRole {
  const extension: Extension[] = [];
  if (officer.substitute) {
    extension.push({
      url: PractitionerRoleExtensions.substitute,
      valueReference: { reference: `Practitioner/${officer.substitute.id}` },
    });
  }
  const villages = officer.villages.isInitialized()
    ? [...officer.villages].sort((a, b) => a.code.localeCompare(b.code))
    : [];
  const location: Reference<Location>[] = [
    ...(officer.location ? [{ reference: `Location/${officer.location.id}` }] : []),
    ...villages.map((v) => ({ reference: `Location/${v.id}` })),
  ];
  return compact<PractitionerRole>({
    resourceType: 'PractitionerRole',
    meta: { profile: [PRACTITIONER_ROLE_PROFILE] },
    extension,
    identifier: [codeIdentifier(OFFICER_CODE_SYSTEM, officer.code)],
    period: officer.worksTo ? { end: officer.worksTo } : undefined,
    practitioner: { reference: `Practitioner/${officer.id}` },
    organization: officer.facility ? { reference: `Organization/${officer.facility.id}` } : undefined,
    code: [concept(QUALIFICATION_SYSTEM, officer.role, roleDisplays[officer.role])],
    location,
  });
}

/** PractitionerRole → the officer it assigns and the assignment, replacing the current one. */
export function practitionerRoleToInput(role: PractitionerRole): RoleInput {
  const practitionerId = referenceId(
    role.practitioner,
    'Practitioner',
    practitionerRoleFieldPaths['practitioner']!,
  );
  if (!practitionerId) {
    throw profileViolation(
      PRACTITIONER_ROLE_PROFILE,
      'PractitionerRole.practitioner',
      'A PractitionerRole names its Practitioner (the officer)',
      'required',
    );
  }
  const worksTo = role.period?.end;
  if (worksTo !== undefined && !isIsoDate(worksTo)) {
    throw profileViolation(
      PRACTITIONER_ROLE_PROFILE,
      'PractitionerRole.period.end',
      'The end of work is a date (YYYY-MM-DD)',
    );
  }
  const code = codeFrom(role.code?.[0], [QUALIFICATION_SYSTEM]);
  const substitute = findExtension(role.extension, PractitionerRoleExtensions.substitute)?.valueReference;
  const locationIds = (role.location ?? []).map((reference, i) =>
    referenceId(reference, 'Location', `PractitionerRole.location[${i}]`)!,
  );
  if (locationIds.some((id) => id === undefined)) {
    throw new KingaError(
      'fhir.reference-invalid',
      { reference: '(none)', expected: 'Location' },
      { expression: 'PractitionerRole.location' },
    );
  }
  const facility = role.organization
    ? facilityAssignment(role.organization, 'PractitionerRole.organization')
    : {};
  return {
    practitionerId,
    ...(code ? { role: code as OfficerRole } : {}),
    assignment: {
      ...(locationIds.length > 0 ? { locationIds } : {}),
      ...(substitute
        ? {
            substituteId:
              referenceId(substitute, 'Practitioner', practitionerRoleFieldPaths['substitute']!) ?? null,
          }
        : {}),
      ...(worksTo ? { worksTo } : {}),
      ...facility,
    },
  };
}
