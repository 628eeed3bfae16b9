import { readFileSync } from 'node:fs';
import { unique, type TestApp } from './test-app.ts';

/** Builders for the medical registers' FHIR resources, shared by the medical test files. */

export const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
export const KINGA = 'https://kinga.health/fhir';
export const CODE_TYPE = { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] };
export const ITEM_CODE = `${KINGA}/NamingSystem/medical-item-code`;
export const SERVICE_CODE = `${KINGA}/NamingSystem/medical-service-code`;
export const EXT = {
  unitPrice: `${IG}/StructureDefinition/unit-price`,
  medicationType: `${IG}/StructureDefinition/medication-type`,
  medicationFrequency: `${IG}/StructureDefinition/medication-frequency`,
  medicationUsage: `${IG}/StructureDefinition/medication-usage-context`,
  medicationLevel: `${IG}/StructureDefinition/medication-level`,
  serviceLevel: `${IG}/StructureDefinition/activity-definition-level`,
  maximumQuantity: `${KINGA}/StructureDefinition/maximum-quantity`,
  validity: `${KINGA}/StructureDefinition/validity-period`,
  manualPrice: `${KINGA}/StructureDefinition/manual-price`,
  servicePackage: `${KINGA}/StructureDefinition/service-package`,
  priceListValidFrom: `${KINGA}/StructureDefinition/price-list-valid-from`,
  priceOverrule: `${KINGA}/StructureDefinition/price-overrule`,
  itemsPriceList: `${KINGA}/StructureDefinition/organization-items-price-list`,
  servicesPriceList: `${KINGA}/StructureDefinition/organization-services-price-list`,
} as const;
export const USAGE_TYPE = 'http://terminology.hl7.org/CodeSystem/usage-context-type';
export const PRICE_LIST_KIND = `${KINGA}/CodeSystem/price-list-kind`;

export const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/openimis/${name}`, import.meta.url), 'utf8'));

export const extension = (resource: any, url: string): any =>
  resource.extension?.find((e: any) => e.url === url);

/** A Kinga-shaped Medication with a fresh code. */
export function medication(overrides: Record<string, unknown> = {}, price = 12.5): Record<string, unknown> {
  return {
    resourceType: 'Medication',
    extension: [
      { url: EXT.unitPrice, valueMoney: { value: price } },
      {
        url: EXT.medicationType,
        valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/medication-item-type`, code: 'D' }] },
      },
    ],
    identifier: [{ system: ITEM_CODE, value: unique('IT') }],
    code: { text: 'Paracetamol 500 mg' },
    form: { text: '100 tablets' },
    ...overrides,
  };
}

/** A Kinga-shaped ActivityDefinition (a simple curative consultation) with a fresh code. */
export function activityDefinition(
  overrides: Record<string, unknown> = {},
  price = 40,
): Record<string, unknown> {
  return {
    resourceType: 'ActivityDefinition',
    extension: [
      { url: EXT.unitPrice, valueMoney: { value: price } },
      {
        url: EXT.serviceLevel,
        valueCodeableConcept: {
          coding: [{ system: `${IG}/CodeSystem/activity-definition-level`, code: 'V' }],
        },
      },
    ],
    identifier: [{ system: SERVICE_CODE, value: unique('SV') }],
    title: 'General consultation',
    status: 'active',
    topic: [{ coding: [{ system: `${IG}/CodeSystem/activity-definition-service-type`, code: 'C' }] }],
    ...overrides,
  };
}

/** A price List of `kind` over the given entries (`Type/id`, optional overrule). */
export function priceList(
  kind: 'items' | 'services',
  entries: { reference: string; overrule?: number }[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    resourceType: 'List',
    status: 'current',
    mode: 'working',
    title: unique('Prices '),
    code: { coding: [{ system: PRICE_LIST_KIND, code: kind }] },
    entry: entries.map((e) => ({
      ...(e.overrule === undefined
        ? {}
        : { extension: [{ url: EXT.priceOverrule, valueMoney: { value: e.overrule } }] }),
      item: { reference: e.reference },
    })),
    ...overrides,
  };
}

/** POSTs (or PUTs) a resource and returns it, failing loudly on anything but 201. */
export async function created(kinga: TestApp, type: string, body: unknown): Promise<any> {
  const res = await kinga.fhir({ method: 'POST', url: `/fhir/R4/${type}`, body });
  if (res.status !== 201) {
    throw new Error(`POST ${type}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/** A search that must succeed; returns the ids of the matches. */
export async function searchIds(kinga: TestApp, query: string): Promise<string[]> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/${query}` });
  if (res.status !== 200) {
    throw new Error(`GET ${query}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return (res.body.entry ?? []).filter((e: any) => e.search?.mode === 'match').map((e: any) => e.resource.id);
}
