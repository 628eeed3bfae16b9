import type { ContactPoint, Extension, Practitioner, Reference } from '@medplum/fhirtypes';
import type { Officer, OfficerRole } from '../../domain/officer/officer.entity.ts';
import type { OfficerAssignment, OfficerInput } from '../../domain/officer/officer-input.ts';
import { isIsoDate } from '../../domain/shared/dates.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import {
  codeFrom,
  codeIdentifier,
  compact,
  concept,
  findExtension,
  identifierTypeCode,
  profileViolation,
} from '../shared/fhir-values.ts';
import {
  extensionPath,
  KINGA,
  kingaProfile,
  openImisCodeSystem,
  openImisExtension,
} from '../shared/openimis.ts';

export const PRACTITIONER_PROFILE = kingaProfile('kinga-practitioner');
export const OFFICER_CODE_SYSTEM = `${KINGA}/NamingSystem/officer-code`;
/** The openIMIS IG's officer kinds: CA claim administrator, EO enrolment officer. */
export const QUALIFICATION_SYSTEM = openImisCodeSystem('practitioner-qualification-type');
export const roleDisplays: Record<OfficerRole, string> = {
  CA: 'Claim Administrator',
  EO: 'Enrolment Officer',
};

export const PractitionerExtensions = {
  /** openIMIS puts a claim administrator's health facility on the Practitioner under this generic name. */
  facility: openImisExtension('reference'),
} as const;

export const practitionerFieldPaths: Record<string, string> = {
  code: 'Practitioner.identifier',
  name: 'Practitioner.name',
  birthDate: 'Practitioner.birthDate',
  role: 'Practitioner.qualification',
  facility: extensionPath('Practitioner', PractitionerExtensions.facility),
  substitute: 'Practitioner',
};

/** Officer → Practitioner: the person, qualified as claim administrator or enrolment officer. */
export function officerToPractitioner(officer: Officer): Practitioner {
  const telecom: ContactPoint[] = [];
  if (officer.phone) {
    telecom.push({ system: 'phone', value: officer.phone, use: 'work' });
  }
  if (officer.email) {
    telecom.push({ system: 'email', value: officer.email, use: 'work' });
  }
  const extension: Extension[] = [];
  if (officer.facility) {
    extension.push({
      url: PractitionerExtensions.facility,
      valueReference: { reference: `Organization/${officer.facility.id}` },
    });
  }
  return compact<Practitioner>({
    resourceType: 'Practitioner',
    meta: { profile: [PRACTITIONER_PROFILE] },
    extension,
    identifier: [codeIdentifier(OFFICER_CODE_SYSTEM, officer.code)],
    name: [
      { use: 'usual', family: officer.lastName, given: officer.otherNames.split(/\s+/).filter(Boolean) },
    ],
    telecom,
    birthDate: officer.birthDate ?? undefined,
    qualification: [{ code: concept(QUALIFICATION_SYSTEM, officer.role, roleDisplays[officer.role]) }],
  });
}

/** Practitioner → what the officer use cases take; openIMIS's claim administrator shape included. */
export function practitionerToOfficer(practitioner: Practitioner): OfficerInput {
  const code = practitioner.identifier?.find(
    (i) => i.system === OFFICER_CODE_SYSTEM || identifierTypeCode(i) === 'Code',
  )?.value;
  const name =
    practitioner.name?.find((n) => n.use === 'usual' || n.use === 'official') ?? practitioner.name?.[0];
  if (practitioner.birthDate && !isIsoDate(practitioner.birthDate)) {
    throw profileViolation(
      PRACTITIONER_PROFILE,
      'Practitioner.birthDate',
      'The birth date must be a full date (YYYY-MM-DD)',
    );
  }
  const roles = new Set(
    (practitioner.qualification ?? []).map((q) => codeFrom(q.code, [QUALIFICATION_SYSTEM])).filter(Boolean),
  );
  const facility = findExtension(practitioner.extension, PractitionerExtensions.facility)?.valueReference;
  return {
    ...(code === undefined ? {} : { code }),
    ...(roles.size === 1 ? { role: [...roles][0] as OfficerRole } : {}),
    lastName: name?.family ?? '',
    otherNames: (name?.given ?? []).join(' '),
    birthDate: practitioner.birthDate ?? null,
    phone: practitioner.telecom?.find((t) => t.system === 'phone')?.value ?? null,
    email: practitioner.telecom?.find((t) => t.system === 'email')?.value ?? null,
    ...(facility ? { assignment: facilityAssignment(facility, practitionerFieldPaths['facility']!) } : {}),
  };
}

/**
 * A facility reference as Kinga writes it (`Organization/<uuid>`) or as openIMIS does: by the
 * facility's code, in `reference` and in an identifier of type Code.
 */
export function facilityAssignment(reference: Reference, expression: string): OfficerAssignment {
  const match = /^(?:.*\/)?Organization\/([^/]+)$/.exec(reference.reference ?? '');
  if (reference.reference !== undefined && !match) {
    throw new KingaError(
      'fhir.reference-invalid',
      { reference: reference.reference, expected: 'Organization' },
      { expression },
    );
  }
  const id = match?.[1];
  if (id && isUuid(id)) {
    return { facilityId: id.toLowerCase() };
  }
  const code = reference.identifier?.value ?? id;
  if (!code) {
    throw new KingaError(
      'fhir.reference-invalid',
      { reference: JSON.stringify(reference), expected: 'Organization' },
      { expression },
    );
  }
  return { facilityCode: code };
}
