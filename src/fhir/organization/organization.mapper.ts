import type { Address, ContactPoint, Extension, Organization } from '@medplum/fhirtypes';
import {
  CareTypes,
  FacilityLevels,
  LegalForms,
  OrganisationStatuses,
  type CareType,
  type FacilityLevel,
  type LegalForm,
  type Organisation,
  type OrganisationKind,
  type OrganisationStatus,
} from '../../domain/organisation/organisation.entity.ts';
import type { OrganisationInput } from '../../domain/organisation/organisation-input.ts';
import { isIsoDate } from '../../domain/shared/dates.ts';
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
  uuidIdentifier,
} from '../shared/fhir-values.ts';
import { dhis2Identifiers, dhis2MappingOf } from '../shared/dhis2-identifiers.ts';
import {
  AddressExtensions,
  extensionPath,
  KINGA,
  kingaCodeSystem,
  kingaExtension,
  kingaProfile,
  openImisCodeSystem,
  openImisExtension,
} from '../shared/openimis.ts';

export const ORGANIZATION_PROFILE = kingaProfile('kinga-organization');
export const FACILITY_CODE_SYSTEM = `${KINGA}/NamingSystem/facility-code`;
export const INSURER_CODE_SYSTEM = `${KINGA}/NamingSystem/insurer-code`;
export const ORGANIZATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/organization-type';

export const OrganizationExtensions = {
  level: openImisExtension('organization-hf-level'),
  careType: openImisExtension('organization-hf-care-type'),
  legalForm: openImisExtension('organization-legal-form'),
  locationReference: AddressExtensions.locationReference,
  contractPeriod: kingaExtension('organization-contract-period'),
  status: kingaExtension('organization-status'),
  itemsPriceList: kingaExtension('organization-items-price-list'),
  servicesPriceList: kingaExtension('organization-services-price-list'),
} as const;

export const OrganizationCodeSystems = {
  level: openImisCodeSystem('organization-hf-level'),
  careType: openImisCodeSystem('organization-hf-care-type'),
  legalForm: openImisCodeSystem('organization-legal-form'),
  status: kingaCodeSystem('organization-status'),
} as const;

/** Organization.type per kind (terminology.hl7.org organization-type). */
export const kindTypes: Record<OrganisationKind, { code: string; display: string }> = {
  'health-facility': { code: 'prov', display: 'Healthcare Provider' },
  insurer: { code: 'ins', display: 'Insurance Company' },
};
const codeSystemOfKind: Record<OrganisationKind, string> = {
  'health-facility': FACILITY_CODE_SYSTEM,
  insurer: INSURER_CODE_SYSTEM,
};
const levelDisplays: Record<FacilityLevel, string> = { D: 'Dispensary', C: 'Health Centre', H: 'Hospital' };
const careTypeDisplays: Record<CareType, string> = { I: 'In-Patient', O: 'Out-Patient', B: 'Both' };
const legalFormDisplays: Record<LegalForm, string> = {
  C: 'Charity',
  D: 'District organization',
  G: 'Government',
  P: 'Private organization',
};

export const organizationFieldPaths: Record<string, string> = {
  kind: 'Organization.type',
  code: 'Organization.identifier',
  name: 'Organization.name',
  status: 'Organization.active',
  level: extensionPath('Organization', OrganizationExtensions.level),
  careType: extensionPath('Organization', OrganizationExtensions.careType),
  legalForm: extensionPath('Organization', OrganizationExtensions.legalForm),
  location: extensionPath('Organization.address', OrganizationExtensions.locationReference),
  parent: 'Organization.partOf',
  contractStart: extensionPath('Organization', OrganizationExtensions.contractPeriod),
  contractEnd: extensionPath('Organization', OrganizationExtensions.contractPeriod),
  itemsPriceList: extensionPath('Organization', OrganizationExtensions.itemsPriceList),
  servicesPriceList: extensionPath('Organization', OrganizationExtensions.servicesPriceList),
  dhis2Uid: 'Organization.identifier',
  dhis2Code: 'Organization.identifier',
};

/** Organisation record → FHIR Organization: a health facility (prov) or the insurer (ins). */
export function organisationToFhir(organisation: Organisation): Organization {
  const extension: Extension[] = [];
  if (organisation.legalForm) {
    extension.push({
      url: OrganizationExtensions.legalForm,
      valueCodeableConcept: concept(
        OrganizationCodeSystems.legalForm,
        organisation.legalForm,
        legalFormDisplays[organisation.legalForm],
      ),
    });
  }
  if (organisation.level) {
    extension.push({
      url: OrganizationExtensions.level,
      valueCodeableConcept: concept(
        OrganizationCodeSystems.level,
        organisation.level,
        levelDisplays[organisation.level],
      ),
    });
  }
  if (organisation.careType) {
    extension.push({
      url: OrganizationExtensions.careType,
      valueCodeableConcept: concept(
        OrganizationCodeSystems.careType,
        organisation.careType,
        careTypeDisplays[organisation.careType],
      ),
    });
  }
  if (organisation.contractStart || organisation.contractEnd) {
    extension.push({
      url: OrganizationExtensions.contractPeriod,
      valuePeriod: compact({
        start: organisation.contractStart ?? undefined,
        end: organisation.contractEnd ?? undefined,
      }),
    });
  }
  // The facility's price lists (FHIR List): what it may claim, at which prices.
  if (organisation.itemsPriceList) {
    extension.push({
      url: OrganizationExtensions.itemsPriceList,
      valueReference: reference('List', organisation.itemsPriceList.id)!,
    });
  }
  if (organisation.servicesPriceList) {
    extension.push({
      url: OrganizationExtensions.servicesPriceList,
      valueReference: reference('List', organisation.servicesPriceList.id)!,
    });
  }
  // Organization.active is a boolean: say why an inactive organisation is so.
  if (organisation.status === 'delisted' || organisation.status === 'idle') {
    extension.push({
      url: OrganizationExtensions.status,
      valueCoding: { system: OrganizationCodeSystems.status, code: organisation.status },
    });
  }

  const telecom: ContactPoint[] = [];
  if (organisation.phone) {
    telecom.push({ system: 'phone', value: organisation.phone, use: 'work' });
  }
  if (organisation.fax) {
    telecom.push({ system: 'fax', value: organisation.fax, use: 'work' });
  }
  if (organisation.email) {
    telecom.push({ system: 'email', value: organisation.email, use: 'work' });
  }

  const type = kindTypes[organisation.kind];
  return compact<Organization>({
    resourceType: 'Organization',
    meta: { profile: [ORGANIZATION_PROFILE] },
    extension,
    identifier: [
      uuidIdentifier(organisation.id),
      codeIdentifier(codeSystemOfKind[organisation.kind], organisation.code),
      ...dhis2Identifiers(organisation),
    ],
    active: organisation.status === 'active',
    type: [concept(ORGANIZATION_TYPE_SYSTEM, type.code, type.display)],
    name: organisation.name,
    telecom,
    address: addressOf(organisation),
    partOf: organisation.parent ? { reference: `Organization/${organisation.parent.id}` } : undefined,
  });
}

function addressOf(organisation: Organisation): Address[] | undefined {
  const { location, addressText, city, district, state } = organisation;
  if (!location && !addressText && !city && !district && !state) {
    return undefined;
  }
  const extension: Extension[] = location
    ? [{ url: OrganizationExtensions.locationReference, valueReference: reference('Location', location.id)! }]
    : [];
  return [
    compact<Address>({
      extension,
      use: 'work',
      type: 'physical',
      text: addressText ?? undefined,
      city: city ?? undefined,
      district: district ?? undefined,
      state: state ?? undefined,
    }),
  ];
}

/** FHIR Organization → what the organisation use cases take; references are checked by the use case. */
export function fhirToOrganisation(resource: Organization): OrganisationInput {
  const kind = kindOf(resource);
  const code = resource.identifier?.find(
    (i) =>
      i.system === FACILITY_CODE_SYSTEM ||
      i.system === INSURER_CODE_SYSTEM ||
      identifierTypeCode(i) === 'Code',
  )?.value;
  if (!code?.trim()) {
    throw profileViolation(
      ORGANIZATION_PROFILE,
      'Organization.identifier',
      'An organisation needs its code: an identifier of type Code',
    );
  }
  const name = resource.name?.trim();
  if (!name) {
    throw profileViolation(ORGANIZATION_PROFILE, 'Organization.name', 'An organisation needs a name');
  }
  const address = resource.address?.find((a) => a.use === 'work') ?? resource.address?.[0];
  const extension = (url: string) => findExtension(resource.extension, url);
  const period = extension(OrganizationExtensions.contractPeriod)?.valuePeriod;
  return {
    kind,
    code: code.trim(),
    name,
    status: statusOf(resource),
    level: codeIn(
      extension(OrganizationExtensions.level)?.valueCodeableConcept,
      FacilityLevels,
      ORGANIZATION_PROFILE,
      organizationFieldPaths['level']!,
    ),
    careType: codeIn(
      extension(OrganizationExtensions.careType)?.valueCodeableConcept,
      CareTypes,
      ORGANIZATION_PROFILE,
      organizationFieldPaths['careType']!,
    ),
    legalForm: codeIn(
      extension(OrganizationExtensions.legalForm)?.valueCodeableConcept,
      LegalForms,
      ORGANIZATION_PROFILE,
      organizationFieldPaths['legalForm']!,
    ),
    locationId:
      referenceId(
        findExtension(address?.extension, OrganizationExtensions.locationReference)?.valueReference,
        'Location',
        organizationFieldPaths['location']!,
      ) ?? null,
    parentId: referenceId(resource.partOf, 'Organization', 'Organization.partOf') ?? null,
    addressText: address?.text ?? (address?.line?.length ? address.line.join(', ') : null),
    city: address?.city ?? null,
    district: address?.district ?? null,
    state: address?.state ?? null,
    phone: resource.telecom?.find((t) => t.system === 'phone')?.value ?? null,
    fax: resource.telecom?.find((t) => t.system === 'fax')?.value ?? null,
    email: resource.telecom?.find((t) => t.system === 'email')?.value ?? null,
    contractStart: contractDate(period?.start),
    contractEnd: contractDate(period?.end),
    itemsPriceListId: priceListId(resource, 'itemsPriceList'),
    servicesPriceListId: priceListId(resource, 'servicesPriceList'),
    ...dhis2MappingOf(resource.identifier),
  };
}

function priceListId(resource: Organization, slot: 'itemsPriceList' | 'servicesPriceList'): string | null {
  const value = findExtension(resource.extension, OrganizationExtensions[slot])?.valueReference;
  return referenceId(value, 'List', organizationFieldPaths[slot]!) ?? null;
}

/** prov → health facility, ins → insurer (the profile requires a type). */
function kindOf(resource: Organization): OrganisationKind {
  const codes = (resource.type ?? []).flatMap((t) =>
    (t.coding ?? []).filter((c) => !c.system || c.system === ORGANIZATION_TYPE_SYSTEM).map((c) => c.code),
  );
  if (codes.includes('prov')) {
    return 'health-facility';
  }
  if (codes.includes('ins')) {
    return 'insurer';
  }
  throw profileViolation(
    ORGANIZATION_PROFILE,
    'Organization.type',
    'Kinga keeps health facilities (prov) and insurers (ins)',
  );
}

/** active true is active; otherwise the Kinga status extension says why, else inactive. */
function statusOf(resource: Organization): OrganisationStatus {
  if (resource.active === true) {
    return 'active';
  }
  const reason = findExtension(resource.extension, OrganizationExtensions.status)?.valueCoding;
  if (reason?.code && reason.code !== 'active') {
    return codeIn(
      { coding: [reason] },
      OrganisationStatuses,
      ORGANIZATION_PROFILE,
      organizationFieldPaths['status']!,
    )!;
  }
  return resource.active === false ? 'inactive' : 'active';
}

/** Contract dates are calendar dates; a dateTime keeps its date. */
function contractDate(value: string | undefined): string | null {
  if (!value) {
    return null;
  }
  const date = value.slice(0, 10);
  if (!isIsoDate(date)) {
    throw profileViolation(
      ORGANIZATION_PROFILE,
      organizationFieldPaths['contractStart']!,
      `${value} is not a date`,
    );
  }
  return date;
}
