import type { EntityManager } from '@mikro-orm/core';
import type { Family } from './family.entity.ts';
import { liveMembersOf } from './insuree.repository.ts';

/** Retires a family; its members stay registered, without a family. */
export async function dissolveFamily(em: EntityManager, family: Family): Promise<void> {
  for (const member of await liveMembersOf(em, family)) {
    member.family = null;
    member.isHead = false;
  }
  family.head = null;
  family.deletedAt = new Date();
}
