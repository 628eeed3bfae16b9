import type { Address, ContactPoint, Extension, Organization, Patient, Reference } from '@medplum/fhirtypes';
import type { Gender, Insuree, MaritalStatus } from '../../domain/insuree/insuree.entity.ts';
import type { InsureeInput } from '../../domain/insuree/insuree-input.ts';
import { isIsoDate } from '../../domain/shared/dates.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import type { MappingContext } from '../core/resource-module.ts';
import {
  codeFrom,
  codeIdentifier,
  compact,
  concept,
  findExtension,
  identifierTypeCode,
  reference,
  referenceId,
} from '../shared/fhir-values.ts';
import {
  AddressExtensions,
  extensionPath,
  kingaCodeSystem,
  kingaExtension,
  kingaProfile,
  openImisCodeSystem,
  openImisExtension,
} from '../shared/openimis.ts';

export const PATIENT_PROFILE = kingaProfile('kinga-patient');

export const PatientExtensions = {
  groupReference: openImisExtension('patient-group-reference'),
  isHead: openImisExtension('patient-is-head'),
  cardIssued: openImisExtension('patient-card-issued'),
  identification: openImisExtension('patient-identification'),
  education: openImisExtension('patient-education-level'),
  profession: openImisExtension('patient-profession'),
  relationship: kingaExtension('relationship-to-head'),
  ...AddressExtensions,
} as const;

export const PatientCodeSystems = {
  identificationType: openImisCodeSystem('patient-identification-type'),
  education: openImisCodeSystem('patient-education-level'),
  profession: openImisCodeSystem('patient-profession'),
  relationship: openImisCodeSystem('patient-contact-relationship'),
  maritalStatus: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
  insureeStatus: kingaCodeSystem('insuree-status'),
} as const;

/** openIMIS sent this (a ValueSet page) as the marital status system; read it, never write it. */
const OPENIMIS_MARITAL_SYSTEM = 'http://hl7.org/fhir/valueset-marital-status.html';

const genderToFhir: Record<Gender, Patient['gender']> = { M: 'male', F: 'female', O: 'other' };
const genderFromFhir: Record<string, Gender | null> = { male: 'M', female: 'F', other: 'O', unknown: null };
const maritalToFhir: Record<MaritalStatus, { code: string; display: string }> = {
  M: { code: 'M', display: 'Married' },
  S: { code: 'S', display: 'Never Married' },
  D: { code: 'D', display: 'Divorced' },
  W: { code: 'W', display: 'Widowed' },
  N: { code: 'UNK', display: 'unknown' },
};

/** Path of a domain field of an insuree in the Patient resource, for error messages. */
export const patientFieldPaths: Record<string, string> = {
  insuranceNumber: 'Patient.identifier',
  name: 'Patient.name',
  lastName: 'Patient.name.family',
  otherNames: 'Patient.name.given',
  birthDate: 'Patient.birthDate',
  village: extensionPath('Patient.address', PatientExtensions.locationReference),
  firstServicePoint: 'Patient.generalPractitioner',
  family: extensionPath('Patient', PatientExtensions.groupReference),
  isHead: extensionPath('Patient', PatientExtensions.isHead),
  members: 'Patient',
};

/** Insuree → Patient, the form every read and search serves. */
export function insureeToPatient(insuree: Insuree, context: MappingContext): Patient {
  const extension: Extension[] = [];
  if (insuree.family) {
    extension.push({
      url: PatientExtensions.groupReference,
      valueReference: reference('Group', insuree.family.id)!,
    });
  }
  extension.push({ url: PatientExtensions.isHead, valueBoolean: insuree.isHead });
  extension.push({ url: PatientExtensions.cardIssued, valueBoolean: insuree.cardIssued });
  if (insuree.identityDocumentNumber) {
    extension.push({
      url: PatientExtensions.identification,
      extension: [
        { url: 'number', valueString: insuree.identityDocumentNumber },
        ...(insuree.identityDocumentType
          ? [
              {
                url: 'type',
                valueCodeableConcept: concept(
                  PatientCodeSystems.identificationType,
                  insuree.identityDocumentType,
                ),
              },
            ]
          : []),
      ],
    });
  }
  if (insuree.education) {
    extension.push({
      url: PatientExtensions.education,
      valueCodeableConcept: concept(PatientCodeSystems.education, insuree.education),
    });
  }
  if (insuree.profession) {
    extension.push({
      url: PatientExtensions.profession,
      valueCodeableConcept: concept(PatientCodeSystems.profession, insuree.profession),
    });
  }
  if (insuree.relationship) {
    extension.push({
      url: PatientExtensions.relationship,
      valueCodeableConcept: concept(PatientCodeSystems.relationship, insuree.relationship),
    });
  }

  const telecom: ContactPoint[] = [];
  if (insuree.phone) {
    telecom.push({ system: 'phone', value: insuree.phone, use: 'home' });
  }
  if (insuree.email) {
    telecom.push({ system: 'email', value: insuree.email, use: 'home' });
  }

  const addressExtensions: Extension[] = [];
  if (insuree.municipality) {
    addressExtensions.push({ url: PatientExtensions.municipality, valueString: insuree.municipality });
  }
  if (insuree.village) {
    addressExtensions.push({
      url: PatientExtensions.locationReference,
      valueReference: reference('Location', insuree.village.id)!,
    });
  }
  const address: Address | undefined =
    insuree.addressText || addressExtensions.length > 0
      ? compact<Address>({
          extension: addressExtensions,
          use: 'home',
          type: 'physical',
          text: insuree.addressText ?? undefined,
        })
      : undefined;

  const photo = insuree.photo;
  return compact<Patient>({
    resourceType: 'Patient',
    meta: { profile: [PATIENT_PROFILE] },
    extension,
    identifier: [codeIdentifier(context.config.INSURANCE_NUMBER_SYSTEM, insuree.insuranceNumber)],
    active: insuree.status !== 'IN',
    name: [
      { use: 'usual', family: insuree.lastName, given: insuree.otherNames.split(/\s+/).filter(Boolean) },
    ],
    telecom,
    gender: insuree.gender ? genderToFhir[insuree.gender] : undefined,
    birthDate: insuree.birthDate ?? undefined,
    deceasedBoolean: insuree.status === 'DE' ? true : undefined,
    address: address ? [address] : undefined,
    maritalStatus: insuree.maritalStatus
      ? concept(
          PatientCodeSystems.maritalStatus,
          maritalToFhir[insuree.maritalStatus].code,
          maritalToFhir[insuree.maritalStatus].display,
        )
      : undefined,
    photo: photo ? [compact({ ...photo })] : undefined,
    generalPractitioner: insuree.firstServicePoint
      ? [reference('Organization', insuree.firstServicePoint.id) as Reference<Organization>]
      : undefined,
  });
}

/** Patient → what the insuree use cases take. Reference forms are checked here; their targets by the use case. */
export function patientToInsuree(patient: Patient, context: MappingContext): InsureeInput {
  const name = patient.name?.find((n) => n.use === 'usual' || n.use === 'official') ?? patient.name?.[0];
  const address = patient.address?.find((a) => a.use === 'home') ?? patient.address?.[0];
  const identification = findExtension(patient.extension, PatientExtensions.identification);
  const photo = patient.photo?.[0];
  // openIMIS and the registers keep full dates; a year or month alone would be silently widened.
  if (patient.birthDate && !isIsoDate(patient.birthDate)) {
    throw new KingaError(
      'insuree.birth-date-incomplete',
      { date: patient.birthDate },
      { expression: 'Patient.birthDate' },
    );
  }
  const isHead = findExtension(patient.extension, PatientExtensions.isHead)?.valueBoolean;
  return {
    insuranceNumber: insuranceNumberOf(patient, context),
    lastName: name?.family ?? '',
    otherNames: (name?.given ?? []).join(' '),
    birthDate: patient.birthDate ?? null,
    gender: patient.gender ? (genderFromFhir[patient.gender] ?? null) : null,
    maritalStatus: maritalFromFhir(patient),
    status:
      patient.deceasedBoolean || patient.deceasedDateTime ? 'DE' : patient.active === false ? 'IN' : 'AC',
    phone: patient.telecom?.find((t) => t.system === 'phone')?.value ?? null,
    email: patient.telecom?.find((t) => t.system === 'email')?.value ?? null,
    addressText: address?.text ?? null,
    municipality: findExtension(address?.extension, PatientExtensions.municipality)?.valueString ?? null,
    villageId:
      referenceId(
        findExtension(address?.extension, PatientExtensions.locationReference)?.valueReference,
        'Location',
        patientFieldPaths['village']!,
      ) ?? null,
    identityDocumentNumber: findExtension(identification?.extension, 'number')?.valueString ?? null,
    identityDocumentType:
      (codeFrom(
        findExtension(identification?.extension, 'type')?.valueCodeableConcept,
      ) as InsureeInput['identityDocumentType']) ?? null,
    firstServicePointId:
      referenceId(patient.generalPractitioner?.[0], 'Organization', 'Patient.generalPractitioner[0]') ?? null,
    familyId:
      referenceId(
        findExtension(patient.extension, PatientExtensions.groupReference)?.valueReference,
        'Group',
        patientFieldPaths['family']!,
      ) ?? null,
    ...(isHead === undefined ? {} : { isHead }),
    cardIssued: findExtension(patient.extension, PatientExtensions.cardIssued)?.valueBoolean ?? false,
    education:
      codeFrom(findExtension(patient.extension, PatientExtensions.education)?.valueCodeableConcept) ?? null,
    profession:
      codeFrom(findExtension(patient.extension, PatientExtensions.profession)?.valueCodeableConcept) ?? null,
    relationship:
      codeFrom(findExtension(patient.extension, PatientExtensions.relationship)?.valueCodeableConcept) ??
      null,
    photo: photo
      ? compact({
          contentType: photo.contentType,
          data: photo.data,
          url: photo.url,
          title: photo.title,
          creation: photo.creation,
        })
      : null,
  };
}

/** The scheme's number: Kinga's system, or openIMIS's identifier type "Code" (its CHFID). */
function insuranceNumberOf(patient: Patient, context: MappingContext): string | undefined {
  const identifiers = patient.identifier ?? [];
  const bySystem = identifiers.find((i) => i.system === context.config.INSURANCE_NUMBER_SYSTEM);
  const byType = identifiers.find((i) => identifierTypeCode(i) === 'Code');
  return (bySystem ?? byType)?.value;
}

function maritalFromFhir(patient: Patient): MaritalStatus | null {
  const code = codeFrom(patient.maritalStatus, [PatientCodeSystems.maritalStatus, OPENIMIS_MARITAL_SYSTEM]);
  if (!code) {
    return null;
  }
  if (code === 'M' || code === 'S' || code === 'D' || code === 'W') {
    return code;
  }
  return 'N';
}
