import type { EntityManager } from '@mikro-orm/core';
import { Family } from '../domain/insuree/family.entity.ts';
import { Insuree } from '../domain/insuree/insuree.entity.ts';
import { Location } from '../domain/location/location.entity.ts';
import { Organisation } from '../domain/organisation/organisation.entity.ts';
import { inTransaction, type WriteContext } from '../platform/database/unit-of-work.ts';
import type { FamilyPlan } from './families.ts';

/** A drawn family with where it lives and the facility it registered with. */
export interface Household {
  plan: FamilyPlan;
  villageId: string;
  firstServicePointId: string;
}

/**
 * Registers a batch of households in one transaction: members join through Family.admit and the
 * head through Family.makeHead, as the registers' own use cases do. Villages and facilities are
 * referenced by id: the seed drew them, so they are a village and health facilities.
 *
 * Family and members reference each other. While insuree.family_id is an immediate foreign key,
 * the flush inserts the members without their family and updates them one by one afterwards, so
 * they are published as version 2 (and the batch is slower); a deferred key lets both go in as
 * inserted, at version 1.
 */
export async function writeFamilies(
  em: EntityManager,
  context: WriteContext,
  households: Household[],
): Promise<void> {
  await inTransaction(em, context, async (tx) => {
    for (const { plan, villageId, firstServicePointId } of households) {
      const village = tx.getReference(Location, villageId);
      const facility = tx.getReference(Organisation, firstServicePointId);
      const family = tx.create(Family, { id: plan.id, village, type: plan.type, poverty: plan.poverty });
      for (const [index, member] of plan.members.entries()) {
        const insuree = tx.create(Insuree, { ...member, village, firstServicePoint: facility });
        family.admit(insuree);
        if (index === 0) {
          family.makeHead(insuree);
        }
      }
    }
  });
}
