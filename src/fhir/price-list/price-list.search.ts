import { sql } from '../../platform/database/sql.ts';
import type { SearchParamDefinition } from '../search/search-param.ts';
import { KINGA } from '../shared/openimis.ts';
import { PRICE_LIST_KIND_SYSTEM } from './price-list.mapper.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** List (price list) search parameters over the price list register (alias t). */
export const priceListSearchParams: SearchParamDefinition[] = [
  {
    code: 'title',
    type: 'string',
    description: 'Price list name: starts with, ignoring case and accents',
    expression: 'List.title',
    definition: `${STANDARD}List-title`,
    columns: ['t.name'],
    sortColumn: 't.name',
  },
  {
    code: 'code',
    type: 'token',
    description: 'items or services',
    expression: 'List.code',
    definition: `${STANDARD}clinical-code`,
    token: [{ system: PRICE_LIST_KIND_SYSTEM, matchesSystemless: true, column: 't.kind' }],
    sortColumn: 't.kind',
  },
  {
    code: 'status',
    type: 'token',
    description: 'current (retired lists are not found)',
    expression: 'List.status',
    definition: `${STANDARD}List-status`,
    token: [{ system: 'http://hl7.org/fhir/list-status', matchesSystemless: true, column: "'current'" }],
  },
  {
    code: 'subject',
    type: 'reference',
    description: 'The region or district the list is for',
    expression: 'List.subject',
    definition: `${STANDARD}List-subject`,
    columns: ['t.location_id'],
    targets: ['Location'],
    includable: true,
  },
  {
    code: 'item',
    type: 'reference',
    description: 'An item (Medication) or service (ActivityDefinition) the list prices',
    expression: 'List.entry.item',
    definition: `${STANDARD}List-item`,
    targets: ['Medication', 'ActivityDefinition'],
    referencePredicate: (ids) =>
      sql`exists (select 1 from price_list_line l where l.price_list_id = t.id
        and (l.item_id = any(${ids}::uuid[]) or l.service_id = any(${ids}::uuid[])))`,
  },
  {
    code: 'facility',
    type: 'reference',
    description: 'The health facility (Organization) that applies the list',
    expression: `Organization.extension('${KINGA}/StructureDefinition/organization-items-price-list').value | Organization.extension('${KINGA}/StructureDefinition/organization-services-price-list').value`,
    definition: `${KINGA}/SearchParameter/List-facility`,
    targets: ['Organization'],
    referencePredicate: (ids) =>
      sql`t.id in (select unnest(array[o.items_price_list_id, o.services_price_list_id]) from organisation o
        where o.id = any(${ids}::uuid[]) and o.deleted_at is null)`,
  },
];
