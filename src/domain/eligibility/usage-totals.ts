import { addMoney, ZERO, type Money } from '../shared/money.ts';
import type { AmountScope } from '../product/product.entity.ts';
import type { UsageRow as UsageEntry } from './eligibility-reads.ts';

/** Sums over ledger entries, each a plain function of the rows (hand-checkable in tests). */

const inScope = (entry: UsageEntry, scope: AmountScope): boolean =>
  scope === 'general' || (scope === 'inPatient' ? entry.careSetting === 'I' : entry.careSetting === 'O');

/** What the scheme paid (ceilings) or the deductible consumed, over treatments in `scope`. */
export function treatmentTotal(
  entries: readonly UsageEntry[],
  column: 'amount' | 'deductible',
  scope: AmountScope,
): Money {
  return addMoney(
    ZERO,
    ...entries.filter((e) => e.kind === 'treatment' && inScope(e, scope)).map((e) => e[column]),
  );
}

/** Treatments of a service category: how many (reversals count −1) and what the scheme paid. */
export function categoryUse(
  entries: readonly UsageEntry[],
  category: string,
): { count: number; amount: Money } {
  const rows = entries.filter((e) => e.kind === 'treatment' && e.category === category);
  return {
    count: rows.reduce((sum, e) => sum + e.quantity, 0),
    amount: addMoney(ZERO, ...rows.map((e) => e.amount)),
  };
}

/** Quantity of one item or service given. */
export function quantityGiven(entries: readonly UsageEntry[], kind: 'item' | 'service', id: string): number {
  return entries
    .filter((e) => e.kind === kind && (kind === 'item' ? e.item?.id : e.service?.id) === id)
    .reduce((sum, e) => sum + e.quantity, 0);
}

/** The last day, on or before `date`, one item or service was given (positive quantity), if ever. */
export function lastGiven(
  entries: readonly UsageEntry[],
  kind: 'item' | 'service',
  id: string,
  date: string,
): string | undefined {
  let last: string | undefined;
  for (const e of entries) {
    if (
      e.kind === kind &&
      e.quantity > 0 &&
      e.date <= date &&
      (kind === 'item' ? e.item?.id : e.service?.id) === id
    ) {
      last = last === undefined || e.date > last ? e.date : last;
    }
  }
  return last;
}
