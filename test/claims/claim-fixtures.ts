/**
 * Claims for the tests: a FHIR Claim as an EMR sends it, a diagnosis list entry, and readers of
 * the ClaimResponse's adjudication by category.
 */
import type { EntityManager } from '@mikro-orm/core';
import { Diagnosis } from '../../src/domain/medical/diagnosis.entity.ts';
import { unique } from '../helpers/test-app.ts';

export const ITEM_CODES = 'https://kinga.health/fhir/NamingSystem/medical-item-code';
export const SERVICE_CODES = 'https://kinga.health/fhir/NamingSystem/medical-service-code';
const ADJUDICATION = 'http://terminology.hl7.org/CodeSystem/adjudication';
const KINGA_ADJUDICATION = 'https://kinga.health/fhir/CodeSystem/claim-adjudication';

/** Review off: every claim that passes is approved at once (tests of review turn it on). */
export const NO_REVIEW = {
  CLAIM_REVIEW_SAMPLE_PERCENT: '0',
  CLAIM_REVIEW_RARE_SERVICE_LINES: '0',
  CLAIM_REVIEW_VISITS_PER_30_DAYS: '0',
};

export function makeDiagnosis(tx: EntityManager): Diagnosis {
  return tx.create(Diagnosis, { code: unique('D').slice(0, 20), name: 'Malaria' } as Diagnosis);
}

export interface LineSpec {
  kind: 'item' | 'service';
  code: string;
  quantity?: number;
  price?: number;
}

export interface ClaimSpec {
  code?: string;
  patient: string;
  facility: string;
  diagnosis: string;
  from: string;
  to?: string;
  created?: string;
  visit?: 'O' | 'R' | 'E';
  lines: LineSpec[];
}

/** A Claim as an EMR sends it (codes in productOrService, category as a coding). */
export function claimOf(spec: ClaimSpec): any {
  return {
    resourceType: 'Claim',
    identifier: [{ system: 'urn:emr:claims', value: spec.code ?? unique('CL') }],
    status: 'active',
    type: {
      coding: [
        {
          system: 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/claim-visit-type',
          code: spec.visit ?? 'O',
        },
      ],
    },
    use: 'claim',
    patient: { reference: `Patient/${spec.patient}` },
    billablePeriod: { start: spec.from, end: spec.to ?? spec.from },
    created: spec.created ?? spec.to ?? spec.from,
    provider: { reference: `Organization/${spec.facility}` },
    priority: { coding: [{ code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: { display: 'any' } }],
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ code: spec.diagnosis }] } }],
    item: spec.lines.map((line, index) => ({
      sequence: index + 1,
      category: { coding: [{ code: line.kind }] },
      productOrService: {
        coding: [{ system: line.kind === 'item' ? ITEM_CODES : SERVICE_CODES, code: line.code }],
      },
      quantity: { value: line.quantity ?? 1 },
      unitPrice: { value: line.price ?? 0, currency: 'TZS' },
    })),
  };
}

/** The amounts of one line's adjudication, by category code (submitted, eligible, …, exceed-ceiling). */
export function lineAmounts(response: any, sequence: number): Record<string, number> & { reason: string } {
  const item = response.item.find((i: any) => i.itemSequence === sequence);
  const amounts: Record<string, number> = {};
  let reason = '';
  for (const a of item.adjudication) {
    const code = a.category.coding.find(
      (c: any) => c.system === ADJUDICATION || c.system === KINGA_ADJUDICATION,
    )?.code;
    amounts[code] = a.amount?.value;
    if (code === 'submitted') {
      reason = a.reason.coding[0].code;
    }
  }
  return Object.assign(amounts, { reason });
}

/** The quantity approved on a line (the eligible adjudication's value). */
export function quantityApproved(response: any, sequence: number): number | undefined {
  const item = response.item.find((i: any) => i.itemSequence === sequence);
  return item.adjudication.find((a: any) => a.category.coding[0].code === 'eligible')?.value;
}

export function totalOf(response: any, code: string): number | undefined {
  return response.total.find((t: any) => t.category.coding[0].code === code)?.amount.value;
}
