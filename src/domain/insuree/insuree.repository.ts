import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Family } from './family.entity.ts';
import { Insuree } from './insuree.entity.ts';

export async function findLiveInsuree(em: EntityManager, id: string, field: string): Promise<Insuree> {
  const insuree = await em.findOne(Insuree, { id, deletedAt: null }, { populate: ['family'] });
  if (!insuree) {
    throw new KingaError('insuree.not-found', { id }, { field });
  }
  return insuree;
}

export async function findLiveFamily(em: EntityManager, id: string, field: string): Promise<Family> {
  const family = await em.findOne(Family, { id, deletedAt: null }, { populate: ['head'] });
  if (!family) {
    throw new KingaError('family.not-found', { id }, { field });
  }
  return family;
}

export async function liveMembersOf(em: EntityManager, family: Family): Promise<Insuree[]> {
  return em.find(Insuree, { family, deletedAt: null }, { orderBy: { id: 'asc' } });
}
