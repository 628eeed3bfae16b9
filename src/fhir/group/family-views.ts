import type { EntityManager } from '@mikro-orm/core';
import type { Family } from '../../domain/insuree/family.entity.ts';
import { Insuree } from '../../domain/insuree/insuree.entity.ts';
import type { FamilyView } from './group.mapper.ts';

/** What rendering the families needs: their live members (one query), the head first. */
export async function familyViews(em: EntityManager, families: Family[]): Promise<FamilyView[]> {
  if (families.length === 0) {
    return [];
  }
  const insurees = await em.find(
    Insuree,
    { family: { $in: families.map((f) => f.id) }, deletedAt: null },
    { orderBy: { id: 'asc' } },
  );
  const byFamily = new Map<string, Insuree[]>();
  for (const insuree of insurees) {
    const id = insuree.family!.id;
    byFamily.set(id, [...(byFamily.get(id) ?? []), insuree]);
  }
  return families.map((family) => {
    const members = byFamily.get(family.id) ?? [];
    const head = members.find((m) => m.id === family.head?.id);
    return { family, head, members: head ? [head, ...members.filter((m) => m !== head)] : members };
  });
}
