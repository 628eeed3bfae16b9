/**
 * A scheme for the eligibility tests, written through the ORM and the domain use cases (items,
 * services, products with coverage lines, policies with member cover, price lists, facilities,
 * and usage recorded through recordUsage, as claim adjudication will record it).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { KingaDatabase } from '../../src/app.ts';
import { recordUsage, type TreatmentUsage } from '../../src/domain/eligibility/record-usage.ts';
import type { Insuree } from '../../src/domain/insuree/insuree.entity.ts';
import { MedicalItem } from '../../src/domain/medical/medical-item.entity.ts';
import { MedicalService, type ServiceCategory } from '../../src/domain/medical/medical-service.entity.ts';
import { PriceList, PriceListLine } from '../../src/domain/medical/price-list.entity.ts';
import { Organisation } from '../../src/domain/organisation/organisation.entity.ts';
import { InsureePolicy } from '../../src/domain/policy/insuree-policy.entity.ts';
import { Policy, type PolicyStatus } from '../../src/domain/policy/policy.entity.ts';
import { ProductCoverage } from '../../src/domain/product/product-coverage.entity.ts';
import type { Product } from '../../src/domain/product/product.entity.ts';
import { makeFamily, makePlaces, makeProduct, write } from '../policy/scheme-fixtures.ts';
import { unique } from './test-app.ts';

export { write };

export function makeItem(tx: EntityManager, levers: Partial<MedicalItem> = {}): MedicalItem {
  return tx.create(MedicalItem, {
    code: unique('IT'),
    name: 'Amoxicillin 250 mg',
    type: 'D',
    price: '10.00',
    careType: 'B',
    patientCategory: 15,
    ...levers,
  } as MedicalItem);
}

export function makeService(
  tx: EntityManager,
  category: ServiceCategory,
  levers: Partial<MedicalService> = {},
): MedicalService {
  return tx.create(MedicalService, {
    code: unique('SV'),
    name: `Service ${category}`,
    type: 'C',
    level: 'S',
    category,
    price: '20.00',
    careType: 'B',
    patientCategory: 15,
    packageType: 'S',
    manualPrice: false,
    ...levers,
  } as MedicalService);
}

/** A coverage line with openIMIS's defaults (co-insurance 100 %, no limits) unless overridden. */
export function cover(
  tx: EntityManager,
  product: Product,
  target: { item: MedicalItem } | { service: MedicalService },
  levers: Partial<ProductCoverage> = {},
): ProductCoverage {
  return tx.create(ProductCoverage, {
    product,
    item: 'item' in target ? target.item : null,
    service: 'service' in target ? target.service : null,
    priceOrigin: 'P',
    limitationType: 'C',
    limitationTypeReferral: 'C',
    limitationTypeEmergency: 'C',
    limitAdult: '100.00',
    limitAdultReferral: '100.00',
    limitAdultEmergency: '100.00',
    limitChild: '100.00',
    limitChildReferral: '100.00',
    limitChildEmergency: '100.00',
    maxProvisionsAdult: null,
    maxProvisionsChild: null,
    waitingPeriodAdultMonths: 0,
    waitingPeriodChildMonths: 0,
    ...levers,
  } as ProductCoverage);
}

export { makeProduct };

export interface PolicyTerms {
  product: Product;
  status?: PolicyStatus;
  stage?: 'N' | 'R';
  start: string;
  expiry: string;
  /** The policy's effective date, also each member's unless `memberEffective` says otherwise. */
  effective: string | null;
  /** Per member (by index): their own effective date (a member added later, or not covered yet). */
  memberEffective?: (string | null)[];
}

/** A family of people born on `birthDates` (the first heads it) insured by one policy. */
export function insuredFamily(
  tx: EntityManager,
  birthDates: string[],
  terms: PolicyTerms,
  gender: 'M' | 'F' = 'F',
): { members: Insuree[]; policy: Policy; covers: InsureePolicy[] } {
  const places = makePlaces(tx);
  const { family, members } = makeFamily(
    tx,
    places.village,
    birthDates.map((birthDate) => ({ birthDate })),
  );
  for (const member of members) {
    member.gender = gender;
  }
  const policy = insure(tx, family, members, terms);
  const covers = members.map((member, index) => coverMember(tx, policy, member, terms, index));
  return { members, policy, covers };
}

/** Another policy for members already in a family. */
export function insureAgain(
  tx: EntityManager,
  members: Insuree[],
  terms: PolicyTerms,
): { policy: Policy; covers: InsureePolicy[] } {
  const policy = insure(tx, members[0]!.family, members, terms);
  return { policy, covers: members.map((m, i) => coverMember(tx, policy, m, terms, i)) };
}

function insure(
  tx: EntityManager,
  family: Insuree['family'],
  _members: Insuree[],
  terms: PolicyTerms,
): Policy {
  return tx.create(Policy, {
    family: family!,
    product: terms.product,
    stage: terms.stage ?? 'N',
    status: terms.status ?? 'active',
    value: '0.00',
    enrolDate: terms.start,
    startDate: terms.start,
    effectiveDate: terms.effective,
    expiryDate: terms.expiry,
  } as Policy);
}

function coverMember(
  tx: EntityManager,
  policy: Policy,
  member: Insuree,
  terms: PolicyTerms,
  index: number,
): InsureePolicy {
  const effective = terms.memberEffective ? terms.memberEffective[index] : terms.effective;
  return tx.create(InsureePolicy, {
    insuree: member,
    policy,
    enrolDate: terms.start,
    startDate: terms.start,
    effectiveDate: effective ?? null,
    expiryDate: terms.expiry,
    coverThreshold: '0.00',
  } as InsureePolicy);
}

/** A health facility of `careType` with its item and service price lists (`overrule` by target). */
export function facilityWithPrices(
  tx: EntityManager,
  lines: {
    items: { item: MedicalItem; overrule?: string }[];
    services: { service: MedicalService; overrule?: string }[];
  },
  careType: 'I' | 'O' | 'B' = 'B',
): Organisation {
  const itemsList = tx.create(PriceList, {
    name: unique('Items '),
    kind: 'items',
    validFrom: null,
  } as PriceList);
  const servicesList = tx.create(PriceList, {
    name: unique('Services '),
    kind: 'services',
    validFrom: null,
  } as PriceList);
  for (const { item, overrule } of lines.items) {
    tx.create(PriceListLine, { priceList: itemsList, item, service: null, priceOverrule: overrule ?? null });
  }
  for (const { service, overrule } of lines.services) {
    tx.create(PriceListLine, {
      priceList: servicesList,
      item: null,
      service,
      priceOverrule: overrule ?? null,
    });
  }
  return tx.create(Organisation, {
    kind: 'health-facility',
    code: unique('HF'),
    name: 'Ultha Health Centre',
    status: 'active',
    level: 'H',
    careType,
    legalForm: 'G',
    itemsPriceList: itemsList,
    servicesPriceList: servicesList,
  } as Organisation);
}

/** Records usage as claim adjudication will, each treatment in its own transaction. */
export async function used(db: KingaDatabase, ...treatments: TreatmentUsage[]): Promise<void> {
  for (const treatment of treatments) {
    await write(db, (tx) => recordUsage(tx, treatment));
  }
}
