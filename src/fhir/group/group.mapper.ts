import type { Address, Extension, Group, Identifier } from '@medplum/fhirtypes';
import {
  ConfirmationTypes,
  FamilyTypes,
  type ConfirmationType,
  type Family,
  type FamilyType,
} from '../../domain/insuree/family.entity.ts';
import type { FamilyInput } from '../../domain/insuree/family-input.ts';
import type { Insuree } from '../../domain/insuree/insuree.entity.ts';
import type { MappingContext } from '../core/resource-module.ts';
import {
  codeIdentifier,
  compact,
  concept,
  findExtension,
  identifierTypeCode,
  reference,
  referenceId,
  codeIn,
  profileViolation,
} from '../shared/fhir-values.ts';
import {
  AddressExtensions,
  extensionPath,
  kingaProfile,
  OPENIMIS_IDENTIFIER_TYPES,
  openImisCodeSystem,
  openImisExtension,
} from '../shared/openimis.ts';

export const GROUP_PROFILE = kingaProfile('kinga-group');

export const GroupExtensions = {
  address: openImisExtension('group-address'),
  poverty: openImisExtension('group-poverty-status'),
  type: openImisExtension('group-type'),
  confirmation: openImisExtension('group-confirmation'),
  ...AddressExtensions,
} as const;

export const GroupCodeSystems = {
  type: openImisCodeSystem('group-type'),
  confirmationType: openImisCodeSystem('group-confirmation-type'),
} as const;

const typeDisplays: Record<FamilyType, string> = {
  C: 'Council',
  G: 'Organization',
  H: 'Household',
  O: 'Other',
  P: 'Priests',
  S: 'Students',
  T: 'Teachers',
};
const confirmationDisplays: Record<ConfirmationType, string> = {
  A: 'Local council',
  B: 'Municipality',
  C: 'State',
  D: 'Other',
};

const addressPath = extensionPath('Group', GroupExtensions.address);
const confirmationPath = extensionPath('Group', GroupExtensions.confirmation);

export const groupFieldPaths: Record<string, string> = {
  head: 'Group.member',
  members: 'Group.member',
  village: extensionPath(`${addressPath}.value`, GroupExtensions.locationReference),
  type: extensionPath('Group', GroupExtensions.type),
  poverty: extensionPath('Group', GroupExtensions.poverty),
  confirmationType: `${confirmationPath}.extension('type')`,
  confirmationNumber: `${confirmationPath}.extension('number')`,
};

/** A family as published: its live members, the head first. */
export interface FamilyView {
  family: Family;
  head: Insuree | undefined;
  members: Insuree[];
}

/** Family → Group, in openIMIS's shape: named and identified by its head, members as Patients. */
export function familyToGroup(view: FamilyView, context: MappingContext): Group {
  const { family, head, members } = view;
  const identifier: Identifier[] = [];
  if (head) {
    identifier.push(codeIdentifier(context.config.INSURANCE_NUMBER_SYSTEM, head.insuranceNumber));
  }
  identifier.push({
    type: { coding: [{ system: OPENIMIS_IDENTIFIER_TYPES, code: 'UUID' }] },
    value: family.id,
  });
  return compact<Group>({
    resourceType: 'Group',
    meta: { profile: [GROUP_PROFILE] },
    extension: extensionsOf(family),
    identifier,
    type: 'person',
    actual: true,
    name: head?.lastName,
    quantity: members.length,
    member: members.map((m) => ({ entity: { reference: `Patient/${m.id}` } })),
  });
}

function extensionsOf(family: Family): Extension[] {
  const extension: Extension[] = [];
  if (family.addressText || family.municipality || family.village) {
    const addressExtensions: Extension[] = [];
    if (family.municipality) {
      addressExtensions.push({ url: GroupExtensions.municipality, valueString: family.municipality });
    }
    if (family.village) {
      addressExtensions.push({
        url: GroupExtensions.locationReference,
        valueReference: reference('Location', family.village.id)!,
      });
    }
    extension.push({
      url: GroupExtensions.address,
      valueAddress: compact<Address>({
        extension: addressExtensions,
        use: 'home',
        type: 'physical',
        text: family.addressText ?? undefined,
      }),
    });
  }
  if (family.poverty != null) {
    extension.push({ url: GroupExtensions.poverty, valueBoolean: family.poverty });
  }
  if (family.type) {
    extension.push({
      url: GroupExtensions.type,
      valueCodeableConcept: concept(GroupCodeSystems.type, family.type, typeDisplays[family.type]),
    });
  }
  if (family.confirmationNumber || family.confirmationType) {
    const parts: Extension[] = [];
    if (family.confirmationNumber) {
      parts.push({ url: 'number', valueString: family.confirmationNumber });
    }
    if (family.confirmationType) {
      parts.push({
        url: 'type',
        valueCodeableConcept: concept(
          GroupCodeSystems.confirmationType,
          family.confirmationType,
          confirmationDisplays[family.confirmationType],
        ),
      });
    }
    extension.push({ url: GroupExtensions.confirmation, extension: parts });
  }
  return extension;
}

/**
 * Group → what the family use cases take. Members are the Patients of member[].entity. The head
 * is the member whose insurance number is the Group's Code identifier (openIMIS identifies a
 * family by its head's number); without one, the current head if it stays, else the first member.
 */
export function groupToFamily(group: Group, context: MappingContext): FamilyInput {
  if (group.type !== 'person') {
    throw profileViolation(GROUP_PROFILE, 'Group.type', 'A family is a group of persons (type person)');
  }
  if (group.actual === false) {
    throw profileViolation(GROUP_PROFILE, 'Group.actual', 'A family is an actual group (actual true)');
  }
  const memberIds = (group.member ?? []).map((member, index) => {
    const path = `Group.member[${index}].entity`;
    const id = referenceId(member.entity, 'Patient', path);
    if (!id) {
      throw profileViolation(GROUP_PROFILE, path, 'A member is a reference to a Patient');
    }
    return id;
  });
  const headNumber = group.identifier?.find(
    (i) => i.system === context.config.INSURANCE_NUMBER_SYSTEM || identifierTypeCode(i) === 'Code',
  )?.value;
  const address = findExtension(group.extension, GroupExtensions.address)?.valueAddress;
  const confirmation = findExtension(group.extension, GroupExtensions.confirmation)?.extension;
  return {
    memberIds,
    headInsuranceNumber: headNumber?.trim() || null,
    villageId:
      referenceId(
        findExtension(address?.extension, GroupExtensions.locationReference)?.valueReference,
        'Location',
        groupFieldPaths['village']!,
      ) ?? null,
    addressText: address?.text ?? null,
    municipality: findExtension(address?.extension, GroupExtensions.municipality)?.valueString ?? null,
    poverty: findExtension(group.extension, GroupExtensions.poverty)?.valueBoolean ?? null,
    type: codeIn(
      findExtension(group.extension, GroupExtensions.type)?.valueCodeableConcept,
      FamilyTypes,
      GROUP_PROFILE,
      groupFieldPaths['type']!,
    ),
    confirmationNumber: findExtension(confirmation, 'number')?.valueString ?? null,
    confirmationType: codeIn(
      findExtension(confirmation, 'type')?.valueCodeableConcept,
      ConfirmationTypes,
      GROUP_PROFILE,
      groupFieldPaths['confirmationType']!,
    ),
  };
}
