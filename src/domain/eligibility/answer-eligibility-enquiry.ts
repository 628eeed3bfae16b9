import type { EntityManager } from '@mikro-orm/core';
import { isIsoDate, type IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { isHealthFacilityKind, Organisation } from '../organisation/organisation.entity.ts';
import { addDays } from '../policy/calendar.ts';
import { assessEligibility, COVER_WINDOW_DAYS } from './assess-eligibility.ts';
import { EligibilityEnquiry, type ClientIdentifier } from './eligibility-enquiry.entity.ts';
import type {
  EligibilityReads,
  EnquiredFacility,
  Ledger,
  RequestedItem,
  RequestedService,
} from './eligibility-reads.ts';
import type { EligibilityAssessment } from './eligibility-result.ts';
import type { RequestedTarget } from './requested-answer.ts';

/** The patient asked about: a record id, or an insurance number. */
export type PatientKey = { id: string } | { insuranceNumber: string };

export interface EnquiryInput {
  id?: string;
  patient: PatientKey;
  patientGiven: string;
  requestCreated: string;
  requestedAt: Date;
  /** Defaults to the scheme's today. */
  servicedDate?: IsoDate;
  purposes: string[];
  facilityId?: string;
  /** `kind` absent: whichever register has the code. */
  requested: { kind?: 'item' | 'service'; code: string }[];
  clientIdentifiers: ClientIdentifier[];
}

export interface EnquiryContext {
  today: IsoDate;
  ageOfMajority: number;
  /** The client asking; a facility-bound client (an EMR) asks only as its facility. */
  askedBy?: string;
  actingFacilityId?: string;
}

/**
 * Answers an eligibility enquiry: the enquiry with its answer, built in `em` but not persisted,
 * for the caller to keep as it is (it is written once and never changed: the FHIR module inserts
 * it with its published forms in one statement). A facility-bound client asks as
 * its facility (any other is refused, 403); what is asked about must exist (an unknown code is a
 * 422 naming the line, `requested.<index>`). An unknown patient is still answered: with the
 * coded error patient-unknown, as a processed request. `reads` answers the hot reads with plain
 * rows (eligibility-reads.ts).
 */
export async function answerEligibilityEnquiry(
  em: EntityManager,
  reads: EligibilityReads,
  input: EnquiryInput,
  context: EnquiryContext,
): Promise<EligibilityEnquiry> {
  // FHIR allows a partial date ("2025-06"); cover is asked for a day.
  if (input.servicedDate !== undefined && !isIsoDate(input.servicedDate)) {
    throw new KingaError('eligibility.date-invalid', { date: input.servicedDate }, { field: 'servicedDate' });
  }
  if (input.requestCreated.length > 40 || Number.isNaN(input.requestedAt.getTime())) {
    throw new KingaError(
      'eligibility.created-invalid',
      { created: input.requestCreated.slice(0, 40) },
      { field: 'created' },
    );
  }
  const facilityId = facilityAskedAs(input.facilityId ?? context.actingFacilityId, context);
  const date = input.servicedDate ?? context.today;
  const codes = (kind: 'item' | 'service') =>
    input.requested.filter((r) => r.kind === undefined || r.kind === kind).map((r) => r.code);
  const found = await reads.patientAndRequested({
    itemCodes: codes('item'),
    serviceCodes: codes('service'),
    // A record id that is no UUID names no one.
    patient: 'id' in input.patient && !isUuid(input.patient.id) ? null : input.patient,
    from: addDays(date, -COVER_WINDOW_DAYS),
    to: addDays(date, COVER_WINDOW_DAYS),
    // Nothing is locked in between: the ledger is read with the patient, in the same query.
    withLedger: true,
    // And the facility with its price lists' lines for what is asked.
    facilityId,
  });
  const facility = facilityId ? healthFacility(found.facility ?? null, facilityId) : null;
  const requested = resolveRequested(input.requested, found);
  const patient = found.patient;
  const insuree = patient?.insuree ?? null;
  const assessment: EligibilityAssessment = patient
    ? assessEligibility({ ...patient, date, facility, requested, ledger: ledgerOf(found) }, context)
    : { date, insurances: [], errors: ['patient-unknown'] };
  return em.create(
    EligibilityEnquiry,
    {
      ...(input.id ? { id: input.id } : {}),
      version: 1,
      insuree: insuree ? em.getReference(Insuree, insuree.id) : null,
      patientGiven: input.patientGiven.slice(0, 300),
      requestCreated: input.requestCreated,
      requestedAt: input.requestedAt,
      servicedDate: date,
      purposes: input.purposes,
      facility: facility ? em.getReference(Organisation, facility.id) : null,
      requested: requested.map(({ kind, code }) => ({ kind, code })),
      clientIdentifiers: input.clientIdentifiers,
      assessment,
      askedBy: context.askedBy ?? null,
    } as EligibilityEnquiry,
    // The record properties' onCreate hooks (id, createdAt, updatedAt) run now, not at a flush.
    { persist: false, processOnCreateHooksEarly: true },
  );
}

/**
 * The facility the enquiry is asked as: a facility-bound client asks only as its own (403
 * otherwise). A facility id that is no UUID names no organisation.
 */
function facilityAskedAs(facilityId: string | undefined, context: EnquiryContext): string | null {
  if (context.actingFacilityId && facilityId !== context.actingFacilityId) {
    throw new KingaError(
      'eligibility.facility-not-yours',
      { own: context.actingFacilityId, asked: facilityId ?? '' },
      { field: 'facility' },
    );
  }
  if (facilityId !== undefined && !isUuid(facilityId)) {
    throw notAHealthFacility(facilityId);
  }
  return facilityId ?? null;
}

/** The facility as read with the patient: it must be a live health facility. */
function healthFacility(facility: EnquiredFacility | null, facilityId: string): EnquiredFacility {
  if (!facility || !isHealthFacilityKind(facility.kind)) {
    throw notAHealthFacility(facilityId);
  }
  return facility;
}

function notAHealthFacility(facilityId: string): KingaError {
  return new KingaError(
    'eligibility.facility-not-health-facility',
    { id: facilityId },
    { field: 'facility' },
  );
}

/** Each code asked about, as the live item or service it names (read with the patient). */
function resolveRequested(
  requested: EnquiryInput['requested'],
  { items, services }: { items: RequestedItem[]; services: RequestedService[] },
): RequestedTarget[] {
  return requested.map(({ kind, code }, index): RequestedTarget => {
    const item = kind === 'service' ? undefined : items.find((i) => i.code === code);
    const service = kind === 'item' ? undefined : services.find((s) => s.code === code);
    if (item && service) {
      throw new KingaError('eligibility.item-kind-unknown', { code }, { field: `requested.${index}` });
    }
    if (item) {
      return { kind: 'item', code, record: item };
    }
    if (service) {
      return { kind: 'service', code, record: service };
    }
    throw new KingaError(
      'eligibility.item-unknown',
      { kind: kind ?? 'item or service', code },
      { field: `requested.${index}` },
    );
  });
}

/** The ledger the patient's read brought (asked with `withLedger`: always there). */
function ledgerOf(found: { ledger?: Ledger }): Ledger {
  if (!found.ledger) {
    throw new Error('EligibilityReads.patientAndRequested answered withLedger without the ledger');
  }
  return found.ledger;
}
