import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Officer } from './officer.entity.ts';

/**
 * Retires an officer. One who substitutes a live officer stays until that officer names another
 * substitute: renewal prompts follow the substitute chain and must not end at a retired officer.
 */
export async function retireOfficer(em: EntityManager, officer: Officer): Promise<void> {
  const substituted = await em.findOne(Officer, { substitute: officer, deletedAt: null });
  if (substituted) {
    throw new KingaError(
      'officer.is-substitute',
      { code: officer.code, other: substituted.code },
      { field: 'substitute' },
    );
  }
  officer.deletedAt = new Date();
}
