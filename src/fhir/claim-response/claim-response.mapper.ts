import type { ClaimResponse, ClaimResponseItemAdjudication, Money as FhirMoney } from '@medplum/fhirtypes';
import type { Claim, ClaimLine } from '../../domain/claim/claim.entity.ts';
import type { Config } from '../../platform/config/config.ts';
import { claimCodeIdentifier } from '../claim/claim.mapper.ts';
import {
  ADJUDICATION_SYSTEM,
  CLAIM_RESPONSE_PROFILE,
  ClaimCodeSystems,
  rejectionCoding,
  visitTypeConcept,
} from '../claim/claim.terms.ts';
import type { SchemeInsurer } from '../shared/scheme-insurer.ts';
import { compact } from '../shared/fhir-values.ts';
import { moneyToFhir } from '../shared/medical-values.ts';
import { insurerReference } from '../shared/policy-values.ts';

/** rejected and valuated are complete; processed waits for relative prices; checked waits for review. */
const outcomes = {
  rejected: 'complete',
  entered: 'queued',
  checked: 'queued',
  processed: 'partial',
  valuated: 'complete',
} as const;

const dispositions = {
  rejected: 'Rejected: no line passed the rules',
  entered: 'Entered',
  checked: 'Checked: selected for medical review',
  processed: 'Processed: relative-price lines wait for the period batch',
  valuated: 'Valuated',
} as const;

const priceOrigins = { P: 'price list', O: "provider's own price", R: 'relative price' } as const;

/**
 * The claim's adjudication (openimis.md §3.4, without its defects): per line the standard
 * adjudication categories — submitted (quantity × asked), eligible (quantity approved × unit
 * price), deductible, copay (co-insurance and above a fixed limit), benefit — and Kinga's unit
 * price, category cap and ceiling steps, each line's rejection reason coded (0 accepted); totals of
 * the same; what is paid once valuated. Published under the claim's id.
 */
export function claimToResponse(view: {
  claim: Claim;
  insurer: SchemeInsurer | null;
  config: Config;
}): ClaimResponse {
  const { claim, insurer, config } = view;
  const money = (amount: string): FhirMoney => ({
    ...moneyToFhir(amount),
    currency: config.CURRENCY as FhirMoney['currency'],
  });
  const standard = (code: string) => ({ coding: [{ system: ADJUDICATION_SYSTEM, code }] });
  const kinga = (code: string) => ({ coding: [{ system: ClaimCodeSystems.adjudication, code }] });
  const lineAdjudication = (line: ClaimLine): ClaimResponseItemAdjudication[] => {
    const reason = { coding: [rejectionCoding(line.rejectionReason)] };
    const submitted = {
      category: standard('submitted'),
      reason,
      amount: money(line.submitted),
      value: line.quantity,
    };
    if (!line.isAccepted()) {
      return [submitted];
    }
    const approved = line.quantityApproved ?? line.quantity;
    return [
      submitted,
      {
        category: kinga('unit-price'),
        reason: { text: priceOrigins[line.priceOrigin ?? 'P'] },
        amount: money(line.unitPrice ?? '0'),
        value: approved,
      },
      { category: standard('eligible'), amount: money(line.eligible), value: approved },
      { category: standard('deductible'), amount: money(line.deductible) },
      {
        category: standard('copay'),
        ...(line.limitationType === 'C'
          ? { reason: { text: `co-insurance: the scheme pays ${line.limitationValue} %` } }
          : line.limitationType === 'F'
            ? { reason: { text: `fixed limit: the scheme pays at most ${line.limitationValue} a unit` } }
            : {}),
        amount: money(line.copay),
      },
      { category: kinga('exceed-category'), amount: money(line.exceedCategory) },
      {
        category: kinga('exceed-ceiling'),
        ...(line.ceilingExcluded ? { reason: { text: 'excluded from ceilings' } } : {}),
        amount: money(line.exceedCeiling),
      },
      { category: standard('benefit'), amount: money(line.benefit) },
      ...(line.remunerated != null
        ? [{ category: kinga('remunerated'), amount: money(line.remunerated) }]
        : []),
    ];
  };
  const total = (code: string, amount: string, system = ADJUDICATION_SYSTEM) => ({
    category: { coding: [{ system, code }] },
    amount: money(amount),
  });
  const notes = [
    ...claim.reviewReasons.map((r) => `Selected for medical review: ${r}`),
    ...(claim.reviewJustification ? [`Review: ${claim.reviewJustification}`] : []),
    ...claim
      .orderedLines()
      .filter((l) => l.justification)
      .map((l) => `Line ${l.sequence}: ${l.justification}`),
  ];
  return compact<ClaimResponse>({
    resourceType: 'ClaimResponse',
    meta: { profile: [CLAIM_RESPONSE_PROFILE] },
    identifier: [claimCodeIdentifier(claim.code)],
    status: 'active',
    type: visitTypeConcept(claim.visitType),
    use: 'claim',
    patient: { reference: `Patient/${claim.insuree.id}` },
    created: claim.updatedAt.toISOString(),
    insurer: insurerReference(insurer) as ClaimResponse['insurer'],
    requestor: { reference: `Organization/${claim.facility.id}` },
    request: { reference: `Claim/${claim.id}` },
    outcome: outcomes[claim.status],
    disposition: dispositions[claim.status],
    item: claim
      .orderedLines()
      .map((line) => ({ itemSequence: line.sequence, adjudication: lineAdjudication(line) })),
    total: [
      total('submitted', claim.claimed),
      total('eligible', claim.approved),
      total('deductible', claim.deductible),
      total('copay', claim.copay),
      total('benefit', claim.benefit),
      ...(claim.remunerated != null
        ? [total('remunerated', claim.remunerated, ClaimCodeSystems.adjudication)]
        : []),
    ],
    payment:
      claim.status === 'valuated' && claim.remunerated != null
        ? {
            type: {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype', code: 'complete' }],
            },
            amount: money(claim.remunerated),
          }
        : undefined,
    processNote: notes.map((text, index) => ({ number: index + 1, type: 'display' as const, text })),
    error:
      claim.rejectionReason != null
        ? [{ code: { coding: [rejectionCoding(claim.rejectionReason)] } }]
        : undefined,
  });
}
