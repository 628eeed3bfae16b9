import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { assertVersion, touch } from '../shared/record.ts';
import type { PriceListInput } from './price-list-input.ts';
import { replacePriceListLines } from './price-list-lines.ts';
import { PriceListLine, type PriceList } from './price-list.entity.ts';
import { applyPriceListInput } from './register-price-list.ts';

/**
 * Changes a price list and replaces its lines. Its kind stays: facilities point to it as their
 * list of that kind. A change of lines alone is still a new version of the list.
 */
export async function revisePriceList(
  em: EntityManager,
  list: PriceList,
  input: PriceListInput,
  expectedVersion?: number,
): Promise<PriceList> {
  assertVersion(list, expectedVersion, 'List');
  if (input.kind !== list.kind) {
    throw new KingaError(
      'price-list.kind-immutable',
      { kind: list.kind, requested: input.kind },
      { field: 'kind' },
    );
  }
  await applyPriceListInput(em, list, input);
  const existing = await em.find(PriceListLine, { priceList: list }, { populate: ['item', 'service'] });
  if (await replacePriceListLines(em, list, input.lines, existing)) {
    touch(list);
  }
  return list;
}
