import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Organisation } from './organisation.entity.ts';

export async function findLiveOrganisation(
  em: EntityManager,
  id: string,
  field: string,
): Promise<Organisation> {
  const organisation = await em.findOne(Organisation, { id, deletedAt: null });
  if (!organisation) {
    throw new KingaError('organisation.not-found', { id }, { field });
  }
  return organisation;
}

/**
 * The scheme's insurer: the first live organisation of kind insurer. Cards, Coverage payors and
 * premium payees all name this one; SCHEME_INSURER_ID_SQL (src/fhir/shared/policy-values.ts) is
 * the same rule for SQL. A deployment may run before registering one.
 */
export function findSchemeInsurer(em: EntityManager): Promise<Organisation | null> {
  return em.findOne(Organisation, { kind: 'insurer', deletedAt: null }, { orderBy: { createdAt: 'asc' } });
}
