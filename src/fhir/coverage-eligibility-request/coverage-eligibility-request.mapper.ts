import type {
  CoverageEligibilityRequest,
  CoverageEligibilityRequestItem,
  Reference,
} from '@medplum/fhirtypes';
import type { EnquiryInput, PatientKey } from '../../domain/eligibility/answer-eligibility-enquiry.ts';
import type { EligibilityEnquiry } from '../../domain/eligibility/eligibility-enquiry.entity.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import type { SchemeInsurer } from '../shared/scheme-insurer.ts';
import type { MappingContext } from '../core/resource-module.ts';
import { compact, profileViolation, referenceId } from '../shared/fhir-values.ts';
import { ITEM_CODE_SYSTEM, SERVICE_CODE_SYSTEM } from '../shared/medical-values.ts';
import { insurerReference } from '../shared/policy-values.ts';
import { patientOf } from '../coverage-eligibility-response/coverage-eligibility-response.mapper.ts';
import {
  ELIGIBILITY_REQUEST_PROFILE,
  ITEM_CATEGORY_SYSTEM,
} from '../coverage-eligibility-response/eligibility.terms.ts';

/** Domain field → FHIRPath (the requested lines are `requested.<index>`, see the module). */
export const eligibilityRequestFieldPaths: Record<string, string> = {
  facility: 'CoverageEligibilityRequest.provider',
  patient: 'CoverageEligibilityRequest.patient',
  servicedDate: 'CoverageEligibilityRequest.serviced',
  created: 'CoverageEligibilityRequest.created',
};

/**
 * The patient named by the request: `Patient/<id>`, openIMIS's `Patient/<insurance number>`
 * (openimis.md §3.5), `Patient?identifier=[system|]number`, or `identifier` (the insurance number;
 * another system is refused). What was given is kept as text, to answer about an unknown patient.
 */
export function patientKeyOf(patient: Reference, numberSystem: string): { key: PatientKey; given: string } {
  const expression = 'CoverageEligibilityRequest.patient';
  const unreadable = (reference: string) =>
    new KingaError('eligibility.patient-unreadable', { reference }, { expression });
  const byNumber = (system: string | undefined, value: string | undefined, given: string) => {
    if ((system && system !== numberSystem) || !value) {
      throw unreadable(given);
    }
    return { key: { insuranceNumber: value }, given };
  };
  const text = patient.reference;
  if (text !== undefined) {
    const search = /^(?:.*\/)?Patient\?identifier=(.+)$/.exec(text);
    if (search) {
      const token = decodeURIComponent(search[1]!);
      const bar = token.lastIndexOf('|');
      return byNumber(bar < 0 ? undefined : token.slice(0, bar), token.slice(bar + 1), text);
    }
    const read = /^(?:.*\/)?Patient\/([^/?]+)(?:\/_history\/[^/]+)?$/.exec(text);
    if (!read) {
      throw unreadable(text);
    }
    const id = read[1]!;
    return { key: isUuid(id) ? { id: id.toLowerCase() } : { insuranceNumber: id }, given: text };
  }
  if (patient.identifier) {
    const { system, value } = patient.identifier;
    return byNumber(system, value, `${system ? `${system}|` : ''}${value ?? ''}`);
  }
  throw unreadable(patient.display ?? '(none)');
}

/** A line asked about: its kind from category (item | service) or the code's system, and the code. */
function requestedOf(item: CoverageEligibilityRequestItem, index: number): EnquiryInput['requested'][number] {
  const path = `CoverageEligibilityRequest.item[${index}]`;
  const coding = item.productOrService?.coding?.find((c) => c.code);
  const code = coding?.code ?? item.productOrService?.text?.trim();
  if (!code) {
    throw profileViolation(
      ELIGIBILITY_REQUEST_PROFILE,
      `${path}.productOrService`,
      'Name the item or service by its code (coding.code or text)',
      'required',
    );
  }
  const category = item.category?.coding?.find((c) => c.code)?.code;
  if (category !== undefined && category !== 'item' && category !== 'service') {
    throw profileViolation(
      ELIGIBILITY_REQUEST_PROFILE,
      `${path}.category`,
      `The category is item or service, not ${category}`,
    );
  }
  const kind =
    category ??
    (coding?.system === ITEM_CODE_SYSTEM
      ? 'item'
      : coding?.system === SERVICE_CODE_SYSTEM
        ? 'service'
        : undefined);
  return kind ? { kind, code } : { code };
}

/** CoverageEligibilityRequest → what the enquiry asks (the facility is `provider`, an Organization). */
export function requestToEnquiry(request: CoverageEligibilityRequest, context: MappingContext): EnquiryInput {
  const { key, given } = patientKeyOf(request.patient, context.config.INSURANCE_NUMBER_SYSTEM);
  const providerIsOrganisation = /(?:^|\/)Organization\//.test(request.provider?.reference ?? '');
  const facilityId = providerIsOrganisation
    ? referenceId(request.provider, 'Organization', 'CoverageEligibilityRequest.provider')
    : undefined;
  const servicedDate = (request.servicedDate ?? request.servicedPeriod?.start)?.slice(0, 10);
  const created = request.created;
  return {
    patient: key,
    patientGiven: given,
    requestCreated: created,
    requestedAt: new Date(created.length === 10 ? `${created}T00:00:00Z` : created),
    ...(servicedDate ? { servicedDate } : {}),
    purposes: request.purpose,
    ...(facilityId ? { facilityId } : {}),
    requested: (request.item ?? []).map(requestedOf),
    clientIdentifiers: (request.identifier ?? [])
      .filter((i) => i.value)
      .map((i) => ({ ...(i.system ? { system: i.system } : {}), value: i.value! })),
  };
}

/** EligibilityEnquiry → the request as it was asked (the patient resolved to their record when known). */
export function enquiryToRequest(view: {
  enquiry: EligibilityEnquiry;
  insurer: SchemeInsurer | null;
}): CoverageEligibilityRequest {
  const { enquiry, insurer } = view;
  return compact<CoverageEligibilityRequest>({
    resourceType: 'CoverageEligibilityRequest',
    meta: { profile: [ELIGIBILITY_REQUEST_PROFILE] },
    identifier: enquiry.clientIdentifiers.map((i) => ({ ...i })),
    status: 'active',
    purpose: enquiry.purposes as CoverageEligibilityRequest['purpose'],
    patient: patientOf(enquiry),
    servicedDate: enquiry.servicedDate,
    created: enquiry.requestCreated,
    provider: enquiry.facility ? { reference: `Organization/${enquiry.facility.id}` } : undefined,
    insurer: insurerReference(insurer) as CoverageEligibilityRequest['insurer'],
    item: enquiry.requested.map((r) => ({
      category: { coding: [{ system: ITEM_CATEGORY_SYSTEM, code: r.kind }] },
      productOrService: {
        coding: [{ system: r.kind === 'item' ? ITEM_CODE_SYSTEM : SERVICE_CODE_SYSTEM, code: r.code }],
        text: r.code,
      },
    })),
  });
}
