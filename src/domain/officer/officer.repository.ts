import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Officer } from './officer.entity.ts';

/** A live officer by id, or a 422 naming the field that referenced it. */
export async function findLiveOfficer(em: EntityManager, id: string, field: string): Promise<Officer> {
  const officer = await em.findOne(Officer, { id, deletedAt: null });
  if (!officer) {
    throw new KingaError('officer.not-found', { id }, { field });
  }
  return officer;
}
