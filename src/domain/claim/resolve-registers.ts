import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { Diagnosis } from '../medical/diagnosis.entity.ts';
import { Officer } from '../officer/officer.entity.ts';
import { Organisation } from '../organisation/organisation.entity.ts';
import type { RecordKey } from './claim-input.ts';
import type { ClaimReads, EarlierClaim } from './claim-reads.ts';

/** `{ id }` or `{ code }` as a query; an id that is no UUID names no record. */
function byKey(key: RecordKey): { id: string } | { code: string } | null {
  if ('id' in key) {
    return isUuid(key.id) ? { id: key.id.toLowerCase() } : null;
  }
  return { code: key.code };
}

/**
 * The live health facility a claim is from. A facility-bound client (an EMR) submits only for its
 * own facility (403 otherwise), and names it implicitly when the claim leaves it out.
 *
 * With `lockCode`, the same statement takes the transaction's advisory lock on that claim code at
 * the facility found (`ClaimReads.organisationRow`): one round trip where two were, on every
 * submission. The row is made the entity (em.map).
 */
export async function resolveFacility(
  em: EntityManager,
  reads: Pick<ClaimReads, 'organisationRow'>,
  key: RecordKey | undefined,
  actingFacilityId: string | undefined,
  lockCode?: string,
): Promise<Organisation> {
  const query = key ? byKey(key) : actingFacilityId ? { id: actingFacilityId } : null;
  const row = query ? await reads.organisationRow(query, lockCode) : null;
  const facility = row ? em.map(Organisation, row) : null;
  if (!facility?.isHealthFacility()) {
    const given = key ? ('id' in key ? key.id : key.code) : '';
    throw new KingaError('claim.facility-unknown', { key: given }, { field: 'facility' });
  }
  if (actingFacilityId && facility.id !== actingFacilityId) {
    throw new KingaError('claim.facility-not-yours', {}, { field: 'facility' });
  }
  return facility;
}

/** The claim administrator who entered the claim, when named: a live officer with the CA role. */
export async function resolveAdmin(em: EntityManager, key: RecordKey | undefined): Promise<Officer | null> {
  if (!key) {
    return null;
  }
  const query = byKey(key);
  const officer = query ? await em.findOne(Officer, { ...query, deletedAt: null }) : null;
  if (!officer || officer.role !== 'CA') {
    throw new KingaError('claim.admin-unknown', { key: 'id' in key ? key.id : key.code }, { field: 'admin' });
  }
  return officer;
}

/**
 * Read under the code's lock: the claim the facility already stored under `code` (null when
 * none), and the live diagnoses with the claim's codes, made entities (em.map).
 */
export async function earlierClaimAndDiagnoses(
  em: EntityManager,
  reads: Pick<ClaimReads, 'earlierClaimAndDiagnoses'>,
  question: { facilityId: string; code: string; diagnosisCodes: string[] },
): Promise<{ earlier: EarlierClaim | null; diagnoses: Diagnosis[] }> {
  const { earlier, diagnoses } = await reads.earlierClaimAndDiagnoses(question);
  return { earlier, diagnoses: diagnoses.map((row) => em.map(Diagnosis, row)) };
}

/** The main and secondary diagnoses, by code, among those found: each must be in the list. */
export function resolveDiagnoses(
  found: Diagnosis[],
  main: string,
  others: string[],
): { main: Diagnosis; others: string[] } {
  const known = new Map(found.map((d) => [d.code, d]));
  const mainDiagnosis = known.get(main);
  if (!mainDiagnosis) {
    throw new KingaError('claim.diagnosis-unknown', { code: main }, { field: 'mainDiagnosis' });
  }
  others.forEach((code, index) => {
    if (!known.has(code)) {
      throw new KingaError('claim.diagnosis-unknown', { code }, { field: `otherDiagnoses.${index}` });
    }
  });
  return { main: mainDiagnosis, others };
}
