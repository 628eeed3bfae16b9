import type { Claim as FhirClaim, ClaimItem, Identifier, Reference, Resource } from '@medplum/fhirtypes';
import type { ClaimInput, ClaimLineInput, RecordKey } from '../../domain/claim/claim-input.ts';
import type { PatientKey } from '../../domain/eligibility/answer-eligibility-enquiry.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import type { VisitType } from '../../domain/product/product-coverage.entity.ts';
import type { MappingContext } from '../core/resource-module.ts';
import { findExtension, identifierTypeCode, profileViolation } from '../shared/fhir-values.ts';
import { ITEM_CODE_SYSTEM, SERVICE_CODE_SYSTEM } from '../shared/medical-values.ts';
import { CLAIM_ITEM_REFERENCE, CLAIM_PROFILE } from './claim.terms.ts';

/** Domain field → FHIRPath (positional fields: see `claimElementPath`). */
export const claimFieldPaths: Record<string, string> = {
  code: 'Claim.identifier',
  facility: 'Claim.provider',
  patient: 'Claim.patient',
  admin: 'Claim.enterer',
  dateFrom: 'Claim.billablePeriod.start',
  dateTo: 'Claim.billablePeriod.end',
  dateClaimed: 'Claim.created',
  mainDiagnosis: 'Claim.diagnosis[0]',
  otherDiagnoses: 'Claim.diagnosis',
  total: 'Claim.total',
  lines: 'Claim.item',
};

/** `lines.2.quantity` → `Claim.item[2].quantity`, `otherDiagnoses.1` → `Claim.diagnosis[2]`. */
export function claimElementPath(field: string): string | undefined {
  const line = /^lines\.(\d+)(?:\.(\w+))?$/.exec(field);
  if (line) {
    const element = {
      target: 'productOrService',
      quantity: 'quantity',
      priceAsked: 'unitPrice',
      sequence: 'sequence',
      unitPrice: 'unitPrice',
    }[line[2] ?? ''];
    return `Claim.item[${line[1]}]${element ? `.${element}` : ''}`;
  }
  const diagnosis = /^otherDiagnoses\.(\d+)$/.exec(field);
  return diagnosis ? `Claim.diagnosis[${Number(diagnosis[1]) + 1}]` : undefined;
}

const visitTypes: Record<string, VisitType> = { O: 'other', R: 'referral', E: 'emergency' };

/** A contained resource named by `#id` or openIMIS's `#Type/id`. */
function containedOf(claim: FhirClaim, reference: string | undefined): Resource | undefined {
  if (!reference?.startsWith('#')) {
    return undefined;
  }
  const id = reference.slice(1).split('/').pop();
  return claim.contained?.find((r) => r.id === id);
}

/** `{ id }` from a UUID identifier, `{ code }` from a Code identifier (openIMIS identifier types). */
function keyFromIdentifiers(identifiers: Identifier[] | undefined): RecordKey | undefined {
  for (const wanted of ['UUID', 'Code']) {
    const found = identifiers?.find((i) => identifierTypeCode(i) === wanted && i.value);
    if (found) {
      return wanted === 'UUID' ? { id: found.value!.toLowerCase() } : { code: found.value! };
    }
  }
  return undefined;
}

/**
 * The record a reference names: `Type/<uuid>` by id, openIMIS's `Type/<code>` by code, a
 * contained resource by its identifiers (it is looked up, never created: openimis.md §3.4), or the
 * reference's own identifier.
 */
function recordKeyOf(
  claim: FhirClaim,
  reference: Reference | undefined,
  type: string,
): RecordKey | undefined {
  if (!reference) {
    return undefined;
  }
  const contained = containedOf(claim, reference.reference);
  if (contained) {
    const identifiers = (contained as { identifier?: Identifier[] }).identifier;
    return (
      keyFromIdentifiers(identifiers) ??
      (isUuid(contained.id ?? '') ? { id: contained.id!.toLowerCase() } : undefined)
    );
  }
  const read = new RegExp(`(?:^|/)${type}/([^/?#]+)(?:/_history/[^/]+)?$`).exec(reference.reference ?? '');
  if (read) {
    const id = read[1]!;
    return isUuid(id) ? { id: id.toLowerCase() } : { code: id };
  }
  const identifier = reference.identifier;
  if (identifier?.value) {
    return keyFromIdentifiers([identifier]) ?? { code: identifier.value };
  }
  return undefined;
}

/** The patient: by record id, or by insurance number (`Patient/<number>`, a Code identifier, or the number system). */
function patientOf(claim: FhirClaim, numberSystem: string): PatientKey {
  const contained = containedOf(claim, claim.patient?.reference);
  const identifiers = contained
    ? (contained as { identifier?: Identifier[] }).identifier
    : claim.patient?.identifier
      ? [claim.patient.identifier]
      : undefined;
  const byNumber = identifiers?.find((i) => i.system === numberSystem && i.value);
  if (byNumber) {
    return { insuranceNumber: byNumber.value! };
  }
  const key =
    contained || !claim.patient?.reference
      ? keyFromIdentifiers(identifiers)
      : recordKeyOf(claim, claim.patient, 'Patient');
  if (!key) {
    throw profileViolation(
      CLAIM_PROFILE,
      'Claim.patient',
      'Name the patient by reference, insurance number or identifier',
      'required',
    );
  }
  return 'id' in key ? key : { insuranceNumber: key.code };
}

/** openIMIS sends `category.text` (item | service); its IG sends a coding: both are read. */
function lineKindOf(item: ClaimItem, index: number): 'item' | 'service' | undefined {
  const given = item.category?.text?.trim().toLowerCase() ?? item.category?.coding?.find((c) => c.code)?.code;
  if (given !== undefined) {
    if (given !== 'item' && given !== 'service') {
      throw profileViolation(
        CLAIM_PROFILE,
        `Claim.item[${index}].category`,
        `The category is item or service, not ${given}`,
      );
    }
    return given;
  }
  const referenced = findExtension(item.extension, CLAIM_ITEM_REFERENCE)?.valueReference;
  const type =
    referenced?.type ?? /(?:^#?)(Medication|ActivityDefinition)\//.exec(referenced?.reference ?? '')?.[1];
  if (type === 'Medication') {
    return 'item';
  }
  if (type === 'ActivityDefinition') {
    return 'service';
  }
  const system = item.productOrService?.coding?.find((c) => c.code)?.system;
  return system === ITEM_CODE_SYSTEM ? 'item' : system === SERVICE_CODE_SYSTEM ? 'service' : undefined;
}

/** A FHIR decimal as money text: 40 → "40", 10.5 → "10.5" (a float artefact is refused by the domain). */
function moneyText(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function lineOf(claim: FhirClaim, item: ClaimItem, index: number): ClaimLineInput {
  const path = `Claim.item[${index}]`;
  const kind = lineKindOf(item, index);
  const referenced = findExtension(item.extension, CLAIM_ITEM_REFERENCE)?.valueReference;
  const typeName = kind === 'service' ? 'ActivityDefinition' : 'Medication';
  const coded = item.productOrService?.coding?.find((c) => c.code)?.code;
  const target =
    recordKeyOf(claim, referenced, typeName) ??
    (coded
      ? { code: coded }
      : item.productOrService?.text?.trim()
        ? { code: item.productOrService.text.trim() }
        : undefined);
  if (!target) {
    throw profileViolation(
      CLAIM_PROFILE,
      `${path}.productOrService`,
      'Name the item or service by its code or a reference',
      'required',
    );
  }
  const quantity = item.quantity?.value ?? 1;
  return {
    sequence: item.sequence,
    ...(kind ? { kind } : {}),
    target,
    quantity,
    priceAsked: moneyText(item.unitPrice?.value) ?? '0',
  };
}

/** Claim → what the submission asks. The facility is `provider` (R4 requires it); a facility-bound client may name it by display only, and its own facility is meant. */
export function claimToInput(claim: FhirClaim, context: MappingContext): ClaimInput {
  const identifiers = claim.identifier ?? [];
  const codeIdentifier =
    identifiers.find((i) => identifierTypeCode(i) === 'Code' && i.value) ?? identifiers.find((i) => i.value);
  if (!codeIdentifier?.value) {
    throw profileViolation(
      CLAIM_PROFILE,
      'Claim.identifier',
      "Give the facility's claim code as an identifier",
      'required',
    );
  }
  const dateFrom = claim.billablePeriod?.start?.slice(0, 10);
  if (!dateFrom) {
    throw profileViolation(
      CLAIM_PROFILE,
      'Claim.billablePeriod.start',
      'Give the first day of the treatment',
      'required',
    );
  }
  const diagnoses = [...(claim.diagnosis ?? [])].sort((a, b) => a.sequence - b.sequence);
  const codes = diagnoses.map((d, index) => {
    const code = d.diagnosisCodeableConcept?.coding?.find((c) => c.code)?.code;
    if (!code) {
      throw profileViolation(
        CLAIM_PROFILE,
        `Claim.diagnosis[${index}].diagnosisCodeableConcept`,
        'Give the diagnosis as an ICD code',
        'required',
      );
    }
    return code;
  });
  if (codes.length === 0) {
    throw profileViolation(CLAIM_PROFILE, 'Claim.diagnosis', 'Give the main diagnosis', 'required');
  }
  const visitCode = claim.type?.coding?.find((c) => c.code)?.code;
  const visitType = visitCode === undefined ? 'other' : visitTypes[visitCode];
  if (!visitType) {
    throw profileViolation(CLAIM_PROFILE, 'Claim.type', `The visit type is O, R or E, not ${visitCode}`);
  }
  const info = (category: string) =>
    claim.supportingInfo?.find((s) => s.category?.coding?.some((c) => c.code === category))?.valueString;
  const facility = recordKeyOf(claim, claim.provider, 'Organization');
  const admin = recordKeyOf(claim, claim.enterer, 'Practitioner');
  const dateTo = claim.billablePeriod?.end?.slice(0, 10);
  const total = moneyText(claim.total?.value);
  const explanation = info('explanation');
  const guarantee = info('guarantee');
  return {
    code: codeIdentifier.value,
    ...(facility ? { facility } : {}),
    patient: patientOf(claim, context.config.INSURANCE_NUMBER_SYSTEM),
    ...(admin ? { admin } : {}),
    visitType,
    dateFrom,
    ...(dateTo ? { dateTo } : {}),
    dateClaimed: claim.created.slice(0, 10),
    mainDiagnosis: codes[0]!,
    otherDiagnoses: codes.slice(1),
    ...(total !== undefined ? { total } : {}),
    ...(explanation ? { explanation } : {}),
    ...(guarantee ? { guarantee } : {}),
    clientIdentifiers: identifiers
      .filter((i) => i.value)
      .map((i) => ({ ...(i.system ? { system: i.system } : {}), value: i.value! })),
    lines: (claim.item ?? []).map((item, index) => lineOf(claim, item, index)),
  };
}
