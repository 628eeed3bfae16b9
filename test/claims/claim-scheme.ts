/**
 * A scheme to submit claims against through HTTP: a facility with an item and a service on its
 * price lists, a product covering both (co-insurance 100 % unless told), an insured member, a
 * diagnosis and a claim administrator. Written through the ORM, each value unique to the call.
 */
import type { KingaDatabase } from '../../src/app.ts';
import type { Insuree } from '../../src/domain/insuree/insuree.entity.ts';
import type { MedicalItem } from '../../src/domain/medical/medical-item.entity.ts';
import type { MedicalService } from '../../src/domain/medical/medical-service.entity.ts';
import type { Diagnosis } from '../../src/domain/medical/diagnosis.entity.ts';
import type { Officer } from '../../src/domain/officer/officer.entity.ts';
import type { Organisation } from '../../src/domain/organisation/organisation.entity.ts';
import type { ProductCoverage } from '../../src/domain/product/product-coverage.entity.ts';
import type { Test } from 'tap';
import {
  cover,
  facilityWithPrices,
  insuredFamily,
  makeItem,
  makeProduct,
  makeService,
  write,
} from '../helpers/eligibility-scheme.ts';
import type { FhirResponse, TestApp } from '../helpers/test-app.ts';
import { makeOfficer } from '../policy/scheme-fixtures.ts';
import { makeDiagnosis } from './claim-fixtures.ts';

export interface ClaimScheme {
  facility: Organisation;
  /** A second facility with the same price lists' items (another facility's claims). */
  otherFacility: Organisation;
  member: Insuree;
  item: MedicalItem;
  service: MedicalService;
  diagnosis: Diagnosis;
  /** Four more diagnoses in the list (secondary diagnoses). */
  moreDiagnoses: Diagnosis[];
  admin: Officer;
}

export interface SchemeLevers {
  itemPrice?: string;
  servicePrice?: string;
  itemCover?: Partial<ProductCoverage>;
  serviceCover?: Partial<ProductCoverage>;
}

/** Item 10.00, service 20.00, both paid in full; a member insured 2020–2027. */
export function claimScheme(db: KingaDatabase, levers: SchemeLevers = {}): Promise<ClaimScheme> {
  return write(db, async (tx) => {
    const product = makeProduct(tx);
    const item = makeItem(tx, { price: levers.itemPrice ?? '10.00' });
    const service = makeService(tx, 'C', { price: levers.servicePrice ?? '20.00' });
    cover(tx, product, { item }, levers.itemCover ?? {});
    cover(tx, product, { service }, levers.serviceCover ?? {});
    const prices = { items: [{ item }], services: [{ service }] };
    const facility = facilityWithPrices(tx, prices);
    const otherFacility = facilityWithPrices(tx, prices);
    const { members } = insuredFamily(tx, ['1980-01-01'], {
      product,
      start: '2020-01-01',
      effective: '2020-01-01',
      expiry: '2027-12-31',
    });
    const admin = makeOfficer(tx, { role: 'CA' } as never);
    return {
      facility,
      otherFacility,
      member: members[0]!,
      item,
      service,
      diagnosis: makeDiagnosis(tx),
      moreDiagnoses: [1, 2, 3, 4].map(() => makeDiagnosis(tx)),
      admin,
    };
  });
}

/** How many claims have `code` (at any facility), counted by search. */
export async function claimCount(kinga: TestApp, code: string): Promise<number> {
  const res = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Claim?identifier=${encodeURIComponent(code)}&_summary=count`,
  });
  if (res.status !== 200) {
    throw new Error(`Claim count answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body.total as number;
}

/** The response's one issue, checked to be a valid OperationOutcome. */
export function issueOf(t: Test, response: FhirResponse): any {
  t.equal(response.body?.resourceType, 'OperationOutcome', 'answered with an OperationOutcome');
  t.equal(response.body?.issue?.length, 1, 'one issue');
  return response.body.issue[0];
}

/** Replaces, in a copy of an openIMIS fixture, each value (or reference suffix `/value`) named. */
export function retarget<T>(fixture: T, replacements: Record<string, string>): T {
  const replace = (value: string): string => {
    for (const [from, to] of Object.entries(replacements)) {
      if (value === from) {
        return to;
      }
      if (value.endsWith(`/${from}`)) {
        return `${value.slice(0, -from.length)}${to}`;
      }
    }
    return value;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return replace(node);
    }
    if (Array.isArray(node)) {
      return node.map(walk);
    }
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
    }
    return node;
  };
  return walk(fixture) as T;
}
