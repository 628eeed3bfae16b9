import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { findLiveOfficer } from '../officer/officer.repository.ts';

/** The most cards one printing run produces; larger runs are printed page by page (offset). */
export const MAX_CARDS_PER_RUN = 500;

/** Whose cards to print: listed insurees, the people of a village, or of an enrolment officer's villages. */
export interface CardSelection {
  insureeIds?: string[];
  villageId?: string;
  officerId?: string;
  offset?: number;
  count?: number;
}

export interface CardRun {
  members: Insuree[];
  /** How many insurees the selection holds in all. */
  total: number;
}

/**
 * The live insurees a printing run covers, by insurance number. A village's people are those whose
 * family lives there (or who live there themselves without a family); criteria given together
 * must all hold.
 */
export async function cardsToPrint(em: EntityManager, selection: CardSelection): Promise<CardRun> {
  const where: FilterQuery<Insuree>[] = [{ deletedAt: null }];
  if (selection.insureeIds) {
    const ids = [...new Set(selection.insureeIds)];
    const found = await em.find(Insuree, { id: { $in: ids }, deletedAt: null }, { fields: ['id'] });
    const missing = ids.find((id) => !found.some((i) => i.id === id));
    if (missing) {
      throw new KingaError('insuree.not-found', { id: missing }, { field: 'patient' });
    }
    where.push({ id: { $in: ids } });
  }
  if (selection.villageId) {
    where.push(livingIn([selection.villageId]));
  }
  if (selection.officerId) {
    const officer = await findLiveOfficer(em, selection.officerId, 'officer');
    await officer.villages.init();
    where.push(livingIn(officer.villages.getItems().map((v) => v.id)));
  }
  if (where.length === 1) {
    throw new KingaError('card.selection-required');
  }
  const count = selection.count ?? MAX_CARDS_PER_RUN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_CARDS_PER_RUN) {
    throw new KingaError('card.run-size', { count, max: MAX_CARDS_PER_RUN }, { field: 'count' });
  }
  const [members, total] = await em.findAndCount(
    Insuree,
    { $and: where },
    { orderBy: { insuranceNumber: 'asc' }, limit: count, offset: selection.offset ?? 0 },
  );
  return { members, total };
}

function livingIn(villageIds: string[]): FilterQuery<Insuree> {
  return {
    $or: [{ family: { village: { $in: villageIds } } }, { family: null, village: { $in: villageIds } }],
  };
}
