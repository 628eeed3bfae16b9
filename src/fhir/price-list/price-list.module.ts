import type { List } from '@medplum/fhirtypes';
import { PriceList, PriceListLine } from '../../domain/medical/price-list.entity.ts';
import type { PriceListInput } from '../../domain/medical/price-list-input.ts';
import { registerPriceList } from '../../domain/medical/register-price-list.ts';
import { retirePriceList } from '../../domain/medical/retire-price-list.ts';
import { revisePriceList } from '../../domain/medical/revise-price-list.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import {
  listToPriceList,
  PRICE_LIST_PROFILE,
  priceListFieldPaths,
  priceListToList,
} from './price-list.mapper.ts';
import { priceListSearchParams } from './price-list.search.ts';

/** List ⇄ price list register: a facility's items or services, with price overrules. */
export function priceListModule(): ResourceModule<PriceList, PriceListInput, List> {
  return {
    type: 'List',
    profile: PRICE_LIST_PROFILE,
    entity: PriceList,
    table: { table: 'price_list', live: 't.deleted_at is null' },
    searchParams: priceListSearchParams,
    fieldPaths: priceListFieldPaths,
    projector: {
      resourceType: 'List',
      entity: PriceList,
      async render(em, lists) {
        const lines =
          lists.length === 0
            ? []
            : await em.find(PriceListLine, { priceList: { $in: lists } }, { populate: ['item', 'service'] });
        return new Map(
          lists.map((list) => [
            list,
            priceListToList(
              list,
              lines.filter((l) => l.priceList.id === list.id),
            ),
          ]),
        );
      },
    },
    toInput: (list) => listToPriceList(list),
    create: (em, input) => registerPriceList(em, input),
    update: async (em, list, input, expectedVersion) => {
      await revisePriceList(em, list, input, expectedVersion);
    },
    remove: (em, list) => retirePriceList(em, list),
  };
}
