import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { Diagnosis } from '../medical/diagnosis.entity.ts';
import { Officer } from '../officer/officer.entity.ts';
import { Organisation } from '../organisation/organisation.entity.ts';
import type { RecordKey } from './claim-input.ts';

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
 * the facility found (lockKey's key `claim <facility id> <code>`): one round trip where two were,
 * on every submission. The row is read as it is stored and made the entity (em.map).
 */
export async function resolveFacility(
  em: EntityManager,
  key: RecordKey | undefined,
  actingFacilityId: string | undefined,
  lockCode?: string,
): Promise<Organisation> {
  const query = key ? byKey(key) : actingFacilityId ? { id: actingFacilityId } : null;
  const rows = query
    ? await em.getConnection().execute<Record<string, unknown>[]>(
        `select o.*${lockCode === undefined ? '' : `, pg_advisory_xact_lock(hashtextextended('claim ' || o.id || ' ' || ?, 0)) is null as code_locked`}
           from organisation o
          where o.${'id' in query ? 'id' : 'code'} = ? and o.deleted_at is null
          limit 1`,
        [...(lockCode === undefined ? [] : [lockCode]), 'id' in query ? query.id : query.code],
        'all',
        em.getTransactionContext(),
      )
    : [];
  const { code_locked: _locked, ...row } = rows[0] ?? {};
  const facility = rows[0] ? em.map(Organisation, row) : null;
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

/** The claim a facility already stored under a code: what tells a resend from another claim. */
export interface EarlierClaim {
  id: string;
  fingerprint: string;
}

/**
 * Read under the code's lock, in one statement: the claim the facility already stored under
 * `code` (null when none), and the live diagnoses with the claim's codes, made entities (em.map).
 */
export async function earlierClaimAndDiagnoses(
  em: EntityManager,
  question: { facilityId: string; code: string; diagnosisCodes: string[] },
): Promise<{ earlier: EarlierClaim | null; diagnoses: Diagnosis[] }> {
  const rows: Record<string, unknown>[] = await em.getConnection().execute(
    `select e.id as earlier_id, e.fingerprint as earlier_fingerprint, d.*
       from (select 1) as one
       left join lateral (select id, fingerprint from claim
                           where facility_id = ? and code = ? and deleted_at is null limit 1) e on true
       left join diagnosis d
              on d.code in (select json_array_elements_text(?::json)) and d.deleted_at is null`,
    [question.facilityId, question.code, JSON.stringify(question.diagnosisCodes)],
    'all',
    em.getTransactionContext(),
  );
  const first = rows[0]!;
  return {
    earlier: first['earlier_id']
      ? { id: first['earlier_id'] as string, fingerprint: first['earlier_fingerprint'] as string }
      : null,
    diagnoses: rows
      .filter((row) => row['id'] != null)
      .map(({ earlier_id: _id, earlier_fingerprint: _fingerprint, ...row }: Record<string, unknown>) =>
        em.map(Diagnosis, row),
      ),
  };
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
