import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import type { Insuree } from './insuree.entity.ts';
import { findLiveFamily, liveMembersOf } from './insuree.repository.ts';

/**
 * Retires an insuree. A member leaves its family; a head may go only as the last member, and the
 * family is retired with it.
 */
export async function retireInsuree(em: EntityManager, insuree: Insuree): Promise<void> {
  if (insuree.family) {
    const family = await findLiveFamily(em, insuree.family.id, 'family');
    if (family.head?.id === insuree.id) {
      const others = (await liveMembersOf(em, family)).filter((m) => m.id !== insuree.id);
      if (others.length > 0) {
        throw new KingaError('family.head-removal', {}, { field: 'isHead' });
      }
      family.deletedAt = new Date();
    } else {
      family.release(insuree);
    }
  }
  insuree.deletedAt = new Date();
}
