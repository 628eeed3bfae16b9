import type { EntityClass, EntityManager, FilterQuery } from '@mikro-orm/core';
import { InsureePolicy } from './insuree-policy.entity.ts';
import { Policy } from './policy.entity.ts';
import { Premium } from './premium.entity.ts';

/**
 * The policies whose whole book a transaction loaded with the policy's row locked (openLedger):
 * every live member cover and ledger entry. Every use case that adds to a book locks its policy
 * first, so until this transaction ends no one else can add to these books, and what it adds
 * itself is in its identity map. Their members and ledger can then be read from memory: publishing
 * does so after each flush, where an allocation read the members twice more and the ledger three
 * times more.
 */
const held = new WeakMap<EntityManager, Map<string, Policy>>();

/** Notes that `em` holds the whole, locked book of `policy` (openLedger calls this). */
export function holdBook(em: EntityManager, policy: Policy): void {
  const books = held.get(em) ?? new Map<string, Policy>();
  books.set(policy.id, policy);
  held.set(em, books);
}

/**
 * The policies whose book `em` still holds: those whose policy, as the book was loaded, is still
 * the one in its identity map. Once the map is cleared (a transaction Bundle clears it between
 * entries), the book's records are no longer in memory, so they are read again.
 */
function heldBy(em: EntityManager): Set<string> {
  const books = held.get(em);
  const ids = new Set<string>();
  for (const [id, policy] of books ?? []) {
    if (em.getUnitOfWork().getById(Policy, id) === policy) {
      ids.add(id);
    } else {
      books!.delete(id);
    }
  }
  return ids;
}

/** The live member cover of `policyIds`, by id: from memory for held books, else one query. */
export function liveMembersOf(em: EntityManager, policyIds: readonly string[]): Promise<InsureePolicy[]> {
  return liveRecordsOf(em, InsureePolicy, policyIds, (a, b) => compare(a.id, b.id));
}

/** The live ledger entries of `policyIds`, by pay date then id: from memory for held books, else one query. */
export function liveLedgersOf(em: EntityManager, policyIds: readonly string[]): Promise<Premium[]> {
  return liveRecordsOf(
    em,
    Premium,
    policyIds,
    (a, b) => compare(a.payDate, b.payDate) || compare(a.id, b.id),
  );
}

/**
 * The reversals of `premiums`: from memory for those of held books, else one query by counterpart.
 */
export async function reversalsOf(em: EntityManager, premiums: readonly Premium[]): Promise<Premium[]> {
  const mine = heldBy(em);
  const inHeldBooks = premiums.filter((p) => mine.has(p.policy.id));
  const others = premiums.filter((p) => !mine.has(p.policy.id));
  const fromMemory =
    inHeldBooks.length === 0
      ? []
      : (await liveLedgersOf(em, [...new Set(inHeldBooks.map((p) => p.policy.id))])).filter(
          (entry) => entry.kind === 'reversal' && entry.counterpart,
        );
  const read =
    others.length === 0
      ? []
      : await em.find(Premium, {
          counterpart: { $in: others.map((p) => p.id) },
          kind: 'reversal',
          deletedAt: null,
        });
  const ids = new Set(premiums.map((p) => p.id));
  return [...fromMemory.filter((r) => ids.has(r.counterpart!.id)), ...read];
}

/**
 * The live records of `entity` under `policyIds`: those of held books from the identity map,
 * the others in one query; all sorted by `byOrder` here, so both kinds come in one order.
 */
async function liveRecordsOf<E extends InsureePolicy | Premium>(
  em: EntityManager,
  entity: EntityClass<E>,
  policyIds: readonly string[],
  byOrder: (a: E, b: E) => number,
): Promise<E[]> {
  const mine = heldBy(em);
  const toRead = policyIds.filter((id) => !mine.has(id));
  const wanted = new Set(policyIds.filter((id) => mine.has(id)));
  const inMemory =
    wanted.size === 0
      ? []
      : [
          ...em.getUnitOfWork().getIdentityMap().getStore<E>(em.getMetadata().find<E>(entity)!).values(),
        ].filter(
          (record) => record.deletedAt == null && record.policy != null && wanted.has(record.policy.id),
        );
  const read =
    toRead.length === 0
      ? []
      : await em.find(entity, { policy: { $in: toRead }, deletedAt: null } as FilterQuery<E>);
  return [...inMemory, ...read].sort(byOrder);
}

/** UUIDs (lower-case hex, as PostgreSQL orders them) and ISO dates both sort as plain strings. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
