import type { Claim as FhirClaim, Money } from '@medplum/fhirtypes';
import type { Claim } from '../../domain/claim/claim.entity.ts';
import type { Config } from '../../platform/config/config.ts';
import type { SchemeInsurer } from '../shared/scheme-insurer.ts';
import { compact } from '../shared/fhir-values.ts';
import { ITEM_CODE_SYSTEM, moneyToFhir, SERVICE_CODE_SYSTEM } from '../shared/medical-values.ts';
import { OPENIMIS_IDENTIFIER_TYPES } from '../shared/openimis.ts';
import { insurerReference } from '../shared/policy-values.ts';
import { DIAGNOSES_CODE_SYSTEM } from '../terminology/diagnoses.mapper.ts';
import {
  CLAIM_PROFILE,
  ITEM_CATEGORY_SYSTEM,
  SUPPORTING_INFO_SYSTEM,
  visitTypeConcept,
} from './claim.terms.ts';

/** The claim code as openIMIS identifies a claim: an identifier of type Code. */
export function claimCodeIdentifier(code: string) {
  return { type: { coding: [{ system: OPENIMIS_IDENTIFIER_TYPES, code: 'Code' }] }, value: code };
}

/** The covers paying the claim's lines: R4 requires at least one insurance, so none is said in words. */
function insuranceOf(claim: Claim): FhirClaim['insurance'] {
  const policies = [
    ...new Set(
      claim
        .orderedLines()
        .map((l) => l.policy?.id)
        .filter((id) => id !== undefined),
    ),
  ];
  if (policies.length === 0) {
    return [
      { sequence: 1, focal: true, coverage: { display: 'No cover of the patient pays for this claim' } },
    ];
  }
  return policies.map((id, index) => ({
    sequence: index + 1,
    focal: index === 0,
    coverage: { display: `Policy ${id}` },
  }));
}

/** The claim as the facility submitted it, with every reference resolved to its record. */
export function claimToFhir(view: {
  claim: Claim;
  insurer: SchemeInsurer | null;
  config: Config;
}): FhirClaim {
  const { claim, insurer, config } = view;
  const support = [
    claim.guarantee ? { category: 'guarantee', value: claim.guarantee } : null,
    claim.explanation ? { category: 'explanation', value: claim.explanation } : null,
  ].filter((s) => s !== null);
  return compact<FhirClaim>({
    resourceType: 'Claim',
    meta: { profile: [CLAIM_PROFILE] },
    identifier: [
      claimCodeIdentifier(claim.code),
      ...claim.clientIdentifiers.filter((i) => i.system).map((i) => ({ ...i })),
    ],
    status: 'active',
    type: visitTypeConcept(claim.visitType),
    use: 'claim',
    patient: { reference: `Patient/${claim.insuree.id}` },
    billablePeriod: { start: claim.dateFrom, end: claim.dateTo ?? claim.dateFrom },
    created: claim.dateClaimed,
    enterer: claim.admin ? { reference: `Practitioner/${claim.admin.id}` } : undefined,
    insurer: insurerReference(insurer) as FhirClaim['insurer'],
    provider: { reference: `Organization/${claim.facility.id}` },
    priority: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }],
    },
    supportingInfo: support.map((s, index) => ({
      sequence: index + 1,
      category: { coding: [{ system: SUPPORTING_INFO_SYSTEM, code: s.category }] },
      valueString: s.value,
    })),
    diagnosis: [claim.mainDiagnosis.code, ...claim.otherDiagnoses].map((code, index) => ({
      sequence: index + 1,
      diagnosisCodeableConcept: { coding: [{ system: DIAGNOSES_CODE_SYSTEM, code }] },
    })),
    insurance: insuranceOf(claim),
    item: claim.orderedLines().map((line) => ({
      sequence: line.sequence,
      category: { coding: [{ system: ITEM_CATEGORY_SYSTEM, code: line.kind }], text: line.kind },
      productOrService: {
        coding: [{ system: line.kind === 'item' ? ITEM_CODE_SYSTEM : SERVICE_CODE_SYSTEM, code: line.code }],
        text: line.code,
      },
      quantity: { value: line.quantity },
      unitPrice: { ...moneyToFhir(line.priceAsked), currency: config.CURRENCY as Money['currency'] },
      net: { ...moneyToFhir(line.submitted), currency: config.CURRENCY as Money['currency'] },
    })),
    total: { ...moneyToFhir(claim.claimed), currency: config.CURRENCY as Money['currency'] },
  });
}
