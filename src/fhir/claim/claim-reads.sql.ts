import { ReferenceKind, type EntityClass, type EntityManager } from '@mikro-orm/core';
import type { ClaimReads, StoredRow } from '../../domain/claim/claim-reads.ts';
import { Diagnosis } from '../../domain/medical/diagnosis.entity.ts';
import { Organisation } from '../../domain/organisation/organisation.entity.ts';
import { emQueryable, type Queryable } from '../../platform/database/queryable.ts';
import { raw, sql, type Sql } from '../../platform/database/sql.ts';
import { sqlEligibilityReads } from '../coverage-eligibility-request/eligibility-reads.sql.ts';

/** A count's limit, written into the text: a literal keeps the planner on the index (see below). */
function limitOf(n: number): ReturnType<typeof raw> {
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`a count's limit must be a whole number, not ${n}`);
  }
  return raw(String(n));
}

/**
 * The entity's stored columns, named (`alias."column"`), for a row `em.map` makes the entity. Not
 * `alias.*`: a prepared statement keeps the result's shape, so a column added by a migration while
 * this process runs would fail each statement ("cached plan must not change result type").
 */
function storedColumns(em: EntityManager, entity: EntityClass<object>, alias: string): Sql {
  const meta = em.getMetadata().find(entity)!;
  const columns = meta.props
    .filter(
      (p) =>
        p.persist !== false &&
        (p.kind === ReferenceKind.SCALAR ||
          p.kind === ReferenceKind.MANY_TO_ONE ||
          (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)),
    )
    .flatMap((p) => p.fieldNames);
  return raw(columns.map((column) => `${alias}."${column}"`).join(', '));
}

/**
 * A claim's reads as prepared statements on the entity manager's connection (inside the claim's
 * transaction), with eligibility's reads beside them.
 */
export function sqlClaimReads(em: EntityManager, db: Queryable = emQueryable(em)): ClaimReads {
  const organisationColumns = storedColumns(em, Organisation, 'o');
  const diagnosisColumns = storedColumns(em, Diagnosis, 'd');
  return {
    ...sqlEligibilityReads(em, db),

    async organisationRow(key, lockCode) {
      const where = 'id' in key ? sql`o.id = ${key.id}::uuid` : sql`o.code = ${key.code}`;
      const lock =
        lockCode === undefined
          ? sql``
          : sql`, pg_advisory_xact_lock(hashtextextended('claim ' || o.id || ' ' || ${lockCode}::text, 0)) is null as code_locked`;
      const rows = await db.query<StoredRow>(
        sql`select ${organisationColumns}${lock} from organisation o where ${where} and o.deleted_at is null limit 1`.prepared(),
      );
      if (!rows[0]) {
        return null;
      }
      const { code_locked: _locked, ...row } = rows[0];
      return row;
    },

    async earlierClaimAndDiagnoses({ facilityId, code, diagnosisCodes }) {
      const rows = await db.query<StoredRow>(
        sql`select e.id as earlier_id, e.fingerprint as earlier_fingerprint, ${diagnosisColumns}
              from (select 1) as one
              left join lateral (select id, fingerprint from claim
                                  where facility_id = ${facilityId}::uuid and code = ${code}
                                    and deleted_at is null limit 1) e on true
              left join diagnosis d on d.code = any(${diagnosisCodes}::text[]) and d.deleted_at is null`.prepared(),
      );
      const first = rows[0]!;
      return {
        earlier: first['earlier_id']
          ? { id: first['earlier_id'] as string, fingerprint: first['earlier_fingerprint'] as string }
          : null,
        diagnoses: rows
          .filter((row) => row['id'] != null)
          .map(({ earlier_id: _id, earlier_fingerprint: _fingerprint, ...row }) => row),
      };
    },

    async lockPolicies(policyIds) {
      await db.query(
        sql`select id from policy where id = any(${policyIds}::uuid[]) order by id for update`.prepared(),
      );
    },

    async reviewCounts({ serviceIds, rareBelow, insureeId, facilityId, from, to, visitsUpTo }) {
      // Each count stops at its limit, on an index range. `order by l.id` keeps the services'
      // count on claim_line_passed_service_index (service_id, id): without an order, a planner
      // expecting the limit soon may scan the table, all of it for the rare service the rule is
      // about. The limits are literals: a generic plan would guess a parameter's limit.
      const rows = await db.query<{ rare: boolean; recent: number }>(
        sql`select exists (select 1 from unnest(${serviceIds}::uuid[]) as s(id)
                            where (select count(*) from (select 1 from claim_line l
                                                          where l.service_id = s.id and l.status = 'passed'
                                                          order by l.id limit ${limitOf(rareBelow)}) x)
                                  < ${limitOf(rareBelow)}) as rare,
                   (select count(*) from (select 1 from claim c
                                           where c.insuree_id = ${insureeId}::uuid
                                             and c.facility_id = ${facilityId}::uuid
                                             and c.date_from >= ${from}::date and c.date_from <= ${to}::date
                                             and c.status <> 'rejected' and c.deleted_at is null
                                           limit ${limitOf(visitsUpTo)}) r)::int as recent`.prepared(),
      );
      return rows[0]!;
    },
  };
}
