import type { Extension, List, ListEntry } from '@medplum/fhirtypes';
import { isIsoDate } from '../../domain/shared/dates.ts';
import {
  PriceListKinds,
  type PriceList,
  type PriceListKind,
  type PriceListLine,
} from '../../domain/medical/price-list.entity.ts';
import type { PriceListInput, PriceListLineInput } from '../../domain/medical/price-list-input.ts';
import {
  codeIn,
  compact,
  concept,
  findExtension,
  profileViolation,
  reference,
  referenceId,
  uuidIdentifier,
} from '../shared/fhir-values.ts';
import { moneyFromFhir, moneyToFhir } from '../shared/medical-values.ts';
import { extensionPath, kingaCodeSystem, kingaExtension, kingaProfile } from '../shared/openimis.ts';

/*
 * A price list is a FHIR List of Medication (a list of items) or of ActivityDefinition (a list of
 * services), each entry with the price that overrules the register's, and a facility's
 * Organization points to its two lists. R4 offers nothing closer: ChargeItemDefinition defines the
 * billing rules of one billable item (a list of 500 lines would be 500 resources, with no place
 * for the list's name, region and start date or for "the facility's list"), and a
 * facility-specific catalogue is what List exists for: an ordered, titled collection of references,
 * searchable by what it contains (List?item=Medication/…).
 */

export const PRICE_LIST_PROFILE = kingaProfile('kinga-price-list');

export const PriceListExtensions = {
  validFrom: kingaExtension('price-list-valid-from'),
  priceOverrule: kingaExtension('price-overrule'),
} as const;

export const PRICE_LIST_KIND_SYSTEM = kingaCodeSystem('price-list-kind');
const kindDisplays: Record<PriceListKind, string> = { items: 'Medical items', services: 'Medical services' };
const entryTypes: Record<PriceListKind, 'Medication' | 'ActivityDefinition'> = {
  items: 'Medication',
  services: 'ActivityDefinition',
};

export const priceListFieldPaths: Record<string, string> = {
  name: 'List.title',
  kind: 'List.code',
  location: 'List.subject',
  validFrom: extensionPath('List', PriceListExtensions.validFrom),
  lines: 'List.entry',
  'lines.item': 'List.entry.item',
  priceOverrule: extensionPath('List.entry', PriceListExtensions.priceOverrule),
};

/** Price list and its lines (with their item or service) → List, entries in code order. */
export function priceListToList(list: PriceList, lines: PriceListLine[]): List {
  const entries = lines
    .map((line) => ({ line, target: (line.item ?? line.service)! }))
    .sort((a, b) => a.target.code.localeCompare(b.target.code))
    .map(({ line, target }) =>
      compact<ListEntry>({
        extension:
          line.priceOverrule == null
            ? undefined
            : [{ url: PriceListExtensions.priceOverrule, valueMoney: moneyToFhir(line.priceOverrule) }],
        item: {
          reference: `${entryTypes[list.kind]}/${target.id}`,
          display: `${target.code} ${target.name}`,
        },
      }),
    );
  const extension: Extension[] = list.validFrom
    ? [{ url: PriceListExtensions.validFrom, valueDate: list.validFrom }]
    : [];
  return compact<List>({
    resourceType: 'List',
    meta: { profile: [PRICE_LIST_PROFILE] },
    extension,
    identifier: [uuidIdentifier(list.id)],
    status: 'current',
    mode: 'working',
    title: list.name,
    code: concept(PRICE_LIST_KIND_SYSTEM, list.kind, kindDisplays[list.kind]),
    subject: list.location ? reference('Location', list.location.id) : undefined,
    entry: entries,
  });
}

/** List → what the price list use cases take; entries name their items or services by reference. */
export function listToPriceList(resource: List): PriceListInput {
  const kind = codeIn(resource.code, PriceListKinds, PRICE_LIST_PROFILE, 'List.code');
  if (!kind) {
    throw profileViolation(
      PRICE_LIST_PROFILE,
      'List.code',
      'A price list says what it lists: items or services',
      'required',
    );
  }
  const validFrom = findExtension(resource.extension, PriceListExtensions.validFrom)?.valueDate;
  if (validFrom !== undefined && !isIsoDate(validFrom)) {
    throw profileViolation(
      PRICE_LIST_PROFILE,
      priceListFieldPaths['validFrom']!,
      `${validFrom} is not a full date`,
    );
  }
  return {
    name: resource.title ?? '',
    kind,
    locationId: referenceId(resource.subject, 'Location', 'List.subject') ?? null,
    validFrom: validFrom ?? null,
    lines: (resource.entry ?? []).filter((e) => !e.deleted).map((e, i) => lineOf(e, i)),
  };
}

function lineOf(entry: ListEntry, index: number): PriceListLineInput {
  const expression = `List.entry[${index}].item`;
  const overrule = moneyFromFhir(
    findExtension(entry.extension, PriceListExtensions.priceOverrule)?.valueMoney,
  );
  const type = /(?:^|\/)(Medication|ActivityDefinition)\/[^/]+$/.exec(entry.item.reference ?? '')?.[1];
  if (!type) {
    throw profileViolation(
      PRICE_LIST_PROFILE,
      expression,
      'An entry references a Medication (item) or an ActivityDefinition (service) by id',
    );
  }
  const id = referenceId(entry.item, type, expression)!;
  return {
    ...(type === 'Medication' ? { itemId: id } : { serviceId: id }),
    priceOverrule: overrule ?? null,
  };
}
