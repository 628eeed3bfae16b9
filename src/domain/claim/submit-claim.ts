import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { isIsoDate, type IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { addMoney, compareMoney, isMoney, multiplyMoney, normaliseMoney, ZERO } from '../shared/money.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { MedicalItem } from '../medical/medical-item.entity.ts';
import { MedicalService } from '../medical/medical-service.entity.ts';
import { addDays } from '../policy/calendar.ts';
import { adjudicateClaim, USAGE_WINDOW_DAYS } from './adjudicate-claim.ts';
import { isStay, type ResolvedLine } from './check-claim-lines.ts';
import { Claim, ClaimLine } from './claim.entity.ts';
import type { ClaimInput } from './claim-input.ts';
import type { ClaimReads } from './claim-reads.ts';
import { settleAfterRules } from './settle-claim.ts';
import { recordClaimUsage, writeAdjudication } from './record-adjudication.ts';
import {
  earlierClaimAndDiagnoses,
  resolveAdmin,
  resolveDiagnoses,
  resolveFacility,
} from './resolve-registers.ts';
import type { ReviewRules } from './review-selection.ts';

export interface SubmitContext {
  today: IsoDate;
  ageOfMajority: number;
  review: ReviewRules;
  submittedBy?: string;
  /** A facility-bound client (an EMR) submits only its facility's claims. */
  actingFacilityId?: string;
}

/** At most this many secondary diagnoses (openIMIS ICD1–ICD4). */
const MAX_OTHER_DIAGNOSES = 4;

/**
 * Enters a claim and checks it with the rules in one transaction (openIMIS enter + submit,
 * openimis.md §2.3), values what passed, records its usage in the ledger, and picks it for review
 * or approves it. Every reference must name an existing record (a contained resource never creates
 * one). The claim code is unique per facility: the same claim sent again (same content) is the
 * claim already stored, returned as it is; another claim with that code is a conflict. Concurrent
 * submissions of one code queue on a lock of (facility, code), so exactly one enters it.
 */
export async function submitClaim(
  em: EntityManager,
  reads: ClaimReads,
  input: ClaimInput,
  context: SubmitContext,
): Promise<Claim> {
  assertWellFormed(input);
  // Read with the lock on (facility, code): a concurrent submission of the code waits here.
  const facility = await resolveFacility(em, reads, input.facility, context.actingFacilityId, input.code);
  const fingerprint = fingerprintOf(input);
  const { earlier, diagnoses: diagnosesFound } = await earlierClaimAndDiagnoses(em, reads, {
    facilityId: facility.id,
    code: input.code,
    diagnosisCodes: [input.mainDiagnosis, ...input.otherDiagnoses],
  });
  if (earlier) {
    if (earlier.fingerprint !== fingerprint) {
      throw new KingaError('claim.code-used', { code: input.code }, { field: 'code' });
    }
    return em.findOneOrFail(Claim, earlier.id);
  }
  const admin = await resolveAdmin(em, input.admin);
  const diagnoses = resolveDiagnoses(diagnosesFound, input.mainDiagnosis, input.otherDiagnoses);
  const keys = (kind: 'item' | 'service', by: 'id' | 'code') =>
    input.lines
      .filter((l) => (l.kind === undefined || l.kind === kind) && by in l.target)
      .map((l) => (l.target as Record<string, string>)[by]!);
  const found = await reads.patientAndRequested({
    itemCodes: keys('item', 'code'),
    serviceCodes: keys('service', 'code'),
    itemIds: keys('item', 'id'),
    serviceIds: keys('service', 'id'),
    patient: input.patient,
    // A year back: frequency looks at what was given under earlier (renewed, expired) policies too.
    from: addDays(input.dateFrom, -USAGE_WINDOW_DAYS),
    to: input.dateTo ?? input.dateFrom,
    // The facility's price list lines for what is claimed come with the same query.
    facilityId: facility.id,
  });
  if (!found.patient) {
    throw new KingaError('claim.patient-unknown', {}, { field: 'patient' });
  }
  const lines = input.lines.map((line, index): ResolvedLine => {
    const matches = (record: { id: string; code: string }) =>
      'id' in line.target ? record.id === line.target.id : record.code === line.target.code;
    const item = line.kind === 'service' ? undefined : found.items.find(matches);
    const service = line.kind === 'item' ? undefined : found.services.find(matches);
    if (item && service) {
      throw new KingaError(
        'claim.line-kind-ambiguous',
        { line: index + 1 },
        { field: `lines.${index}.target` },
      );
    }
    const record = item ?? service;
    if (!record) {
      throw new KingaError(
        'claim.line-target-unknown',
        {
          kind: line.kind ?? 'item or service',
          key: 'id' in line.target ? line.target.id : line.target.code,
        },
        { field: `lines.${index}.target` },
      );
    }
    return {
      sequence: line.sequence,
      kind: item ? 'item' : 'service',
      record,
      quantity: line.quantity,
      priceAsked: normaliseMoney(line.priceAsked),
    };
  });
  const claimId = newId();
  const result = await adjudicateClaim(
    em,
    reads,
    {
      dateFrom: input.dateFrom,
      dateTo: input.dateTo ?? null,
      dateClaimed: input.dateClaimed,
      visitType: input.visitType,
      facility,
      insuree: found.patient.insuree,
      covers: found.patient.covers,
      lines,
      ...(found.facility ? { facilityLines: found.facility.lines } : {}),
    },
    context,
  );
  const claim = em.create(Claim, {
    id: claimId,
    code: input.code,
    facility,
    insuree: em.getReference(Insuree, found.patient.insuree.id),
    admin,
    visitType: input.visitType,
    dateFrom: input.dateFrom,
    dateTo: input.dateTo ?? null,
    dateClaimed: input.dateClaimed,
    mainDiagnosis: diagnoses.main,
    otherDiagnoses: diagnoses.others,
    status: 'checked',
    careSetting: result.valuation.uses[0]?.careSetting ?? (isStay(result.facts) ? 'I' : 'O'),
    claimed: addMoney(ZERO, ...lines.map((l) => multiplyMoney(l.priceAsked, l.quantity))),
    explanation: input.explanation ?? null,
    guarantee: input.guarantee ?? null,
    clientIdentifiers: input.clientIdentifiers,
    fingerprint,
    submittedBy: context.submittedBy ?? null,
    reviewReasons: [],
  } as unknown as Claim);
  const claimLines = input.lines.map((line, index) =>
    em.create(ClaimLine, {
      claim,
      sequence: line.sequence,
      kind: lines[index]!.kind,
      item: lines[index]!.kind === 'item' ? em.getReference(MedicalItem, lines[index]!.record.id) : null,
      service:
        lines[index]!.kind === 'service' ? em.getReference(MedicalService, lines[index]!.record.id) : null,
      code: lines[index]!.record.code,
      quantity: line.quantity,
      priceAsked: lines[index]!.priceAsked,
      explanation: line.explanation ?? null,
      status: 'passed',
      submitted: multiplyMoney(lines[index]!.priceAsked, line.quantity),
    } as unknown as ClaimLine),
  );
  writeAdjudication(em, claim, claimLines, result);
  if (!claim.isRejected()) {
    await settleAfterRules(reads, claim, claimLines, context.review);
    await recordClaimUsage(em, claim, claimLines, result.valuation.uses);
  }
  return claim;
}

/** The shape rules a claim must meet before anything is looked up (422 naming the field). */
function assertWellFormed(input: ClaimInput): void {
  // FHIR allows a partial date ("2025-06"); a treatment happens on days.
  for (const field of ['dateFrom', 'dateTo', 'dateClaimed'] as const) {
    const date = input[field];
    if (date !== undefined && !isIsoDate(date)) {
      throw new KingaError('claim.date-invalid', { date }, { field });
    }
  }
  if (input.lines.length === 0) {
    throw new KingaError('claim.no-lines', {}, { field: 'lines' });
  }
  if (input.dateTo !== undefined && input.dateTo < input.dateFrom) {
    throw new KingaError('claim.dates', { from: input.dateFrom, to: input.dateTo }, { field: 'dateTo' });
  }
  if (input.otherDiagnoses.length > MAX_OTHER_DIAGNOSES) {
    throw new KingaError(
      'claim.too-many-diagnoses',
      { max: MAX_OTHER_DIAGNOSES },
      { field: 'otherDiagnoses' },
    );
  }
  const sequences = new Set<number>();
  input.lines.forEach((line, index) => {
    if (sequences.has(line.sequence)) {
      throw new KingaError(
        'claim.sequence-duplicate',
        { sequence: line.sequence },
        { field: `lines.${index}.sequence` },
      );
    }
    sequences.add(line.sequence);
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw new KingaError(
        'claim.quantity-invalid',
        { quantity: line.quantity },
        { field: `lines.${index}.quantity` },
      );
    }
    if (!isMoney(line.priceAsked) || line.priceAsked.startsWith('-')) {
      throw new KingaError(
        'claim.price-invalid',
        { price: line.priceAsked },
        { field: `lines.${index}.priceAsked` },
      );
    }
  });
  if (input.total !== undefined) {
    const sum = addMoney(
      ZERO,
      ...input.lines.map((l) => multiplyMoney(normaliseMoney(l.priceAsked), l.quantity)),
    );
    if (!isMoney(input.total) || compareMoney(input.total, sum) !== 0) {
      throw new KingaError('claim.total-mismatch', { total: input.total, sum }, { field: 'total' });
    }
  }
}

/** What identifies the content of a submission: the same claim sent again has the same one. */
function fingerprintOf(input: ClaimInput): string {
  const { clientIdentifiers: _ids, ...content } = input;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
