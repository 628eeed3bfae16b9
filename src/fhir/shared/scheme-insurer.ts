import type { EntityManager } from '@mikro-orm/core';
import type { Organisation } from '../../domain/organisation/organisation.entity.ts';
import { emQueryable } from '../../platform/database/queryable.ts';
import { raw, sql } from '../../platform/database/sql.ts';
import { SCHEME_INSURER_ID_SQL } from './policy-values.ts';

/** What a published resource shows of the scheme's insurer (insurerReference). */
export type SchemeInsurer = Pick<Organisation, 'id' | 'name'>;

const insurers = new WeakMap<EntityManager, Promise<SchemeInsurer | null>>();

/**
 * The scheme's insurer (the one `findSchemeInsurer` finds), read once per entity manager and as a
 * plain row: one flush publishes several resources that name it (an enquiry's request and
 * response, a claim and its ClaimResponse, a payment's Coverages and PaymentNotice). A missing
 * insurer is not remembered: the same transaction may register it.
 */
export function schemeInsurerOnce(em: EntityManager): Promise<SchemeInsurer | null> {
  let insurer = insurers.get(em);
  if (!insurer) {
    insurer = emQueryable(em)
      .query<SchemeInsurer>(sql`select id, name from organisation where id = ${raw(SCHEME_INSURER_ID_SQL)}`)
      .then((rows) => {
        if (!rows[0]) {
          insurers.delete(em);
        }
        return rows[0] ?? null;
      });
    insurers.set(em, insurer);
  }
  return insurer;
}

/** Keeps the insurer an earlier query of the same entity manager read with other rows. */
export function primeSchemeInsurer(em: EntityManager, insurer: SchemeInsurer | null): void {
  if (insurer && !insurers.has(em)) {
    insurers.set(em, Promise.resolve(insurer));
  }
}
