import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import type { Insuree } from '../insuree/insuree.entity.ts';
import type { Organisation } from '../organisation/organisation.entity.ts';
import { findSchemeInsurer } from '../organisation/organisation.repository.ts';
import { InsureePolicy } from '../policy/insuree-policy.entity.ts';
import type { Policy } from '../policy/policy.entity.ts';
import type { Product } from '../product/product.entity.ts';

/** The member's cover on the day a card is printed: an active policy that covers them that day. */
export interface CurrentCover {
  memberCover: InsureePolicy;
  policy: Policy;
  product: Product;
}

/** What a membership card says: the member, the head of family who holds the policy, the cover and the insurer. */
export interface MembershipCard {
  member: Insuree;
  /** The policy holder (subscriber): the head of the member's family, or the member. */
  head: Insuree;
  cover: CurrentCover | null;
  insurer: Organisation | null;
}

/**
 * The cards of `members` on `today`: each member's current cover is the active policy whose cover
 * of that member has begun (its own effective date, which waits for an extra member's premium) and
 * not ended; of several, the one lasting longest. Members are loaded with family, head and photo.
 */
export async function membershipCardsOf(
  em: EntityManager,
  members: Insuree[],
  today: IsoDate,
): Promise<MembershipCard[]> {
  if (members.length === 0) {
    return [];
  }
  await em.populate(members, ['family.head', 'photo'] as never[]);
  const covers = await em.find(
    InsureePolicy,
    {
      insuree: { $in: members.map((m) => m.id) },
      deletedAt: null,
      effectiveDate: { $ne: null, $lte: today },
      expiryDate: { $gte: today },
      policy: { status: 'active', deletedAt: null },
    },
    { populate: ['policy', 'policy.product'], orderBy: { expiryDate: 'desc' } },
  );
  const coverOf = new Map<string, InsureePolicy>();
  for (const cover of covers) {
    if (!coverOf.has(cover.insuree.id)) {
      coverOf.set(cover.insuree.id, cover);
    }
  }
  const insurer = await findSchemeInsurer(em);
  return members.map((member) => {
    const memberCover = coverOf.get(member.id);
    return {
      member,
      head: member.family?.head ?? member,
      cover: memberCover
        ? { memberCover, policy: memberCover.policy, product: memberCover.policy.product }
        : null,
      insurer,
    };
  });
}
