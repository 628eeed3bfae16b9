import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Policy } from './policy.entity.ts';

/**
 * The policy a family renews when the renewal does not name it (openIMIS's enrolment shape names
 * only the family): the family's latest policy, by last day of cover. Whether that one may be
 * renewed (active or expired, not renewed yet) is renewPolicy's to say.
 */
export async function latestPolicyOf(em: EntityManager, familyId: string): Promise<Policy> {
  const latest = await em.findOne(
    Policy,
    { family: familyId, deletedAt: null },
    { orderBy: { expiryDate: 'desc', id: 'desc' } },
  );
  if (!latest) {
    throw new KingaError('policy.nothing-to-renew', {}, { field: 'family' });
  }
  return latest;
}
