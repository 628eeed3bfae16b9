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

/** The main and secondary diagnoses, by code: each must be in the diagnosis list. */
export async function resolveDiagnoses(
  em: EntityManager,
  main: string,
  others: string[],
): Promise<{ main: Diagnosis; others: string[] }> {
  const found = await em.find(Diagnosis, { code: { $in: [main, ...others] }, deletedAt: null });
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
