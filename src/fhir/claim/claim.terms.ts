import type { Coding } from '@medplum/fhirtypes';
import { rejectionDisplays } from '../../domain/claim/rejection-reasons.ts';
import { kingaCodeSystem, kingaProfile, openImisCodeSystem, openImisExtension } from '../shared/openimis.ts';

/** The vocabulary Claim and ClaimResponse share. */

export const CLAIM_PROFILE = kingaProfile('kinga-claim');
export const CLAIM_RESPONSE_PROFILE = kingaProfile('kinga-claim-response');

/** openIMIS's line extension naming the Medication or ActivityDefinition given. */
export const CLAIM_ITEM_REFERENCE = openImisExtension('claim-item-reference');
export const VISIT_TYPE_SYSTEM = openImisCodeSystem('claim-visit-type');
export const ITEM_CATEGORY_SYSTEM = openImisCodeSystem('claim-item-category');
export const SUPPORTING_INFO_SYSTEM = openImisCodeSystem('claim-supporting-info-category');
/** The standard adjudication categories (submitted, eligible, deductible, copay, benefit). */
export const ADJUDICATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/adjudication';

export const ClaimCodeSystems = {
  /** openIMIS rejection reasons, by number (openimis.md §1.5). */
  rejectionReason: kingaCodeSystem('claim-rejection-reason'),
  /** What category caps and ceilings took off a line, and the claim's review state. */
  adjudication: kingaCodeSystem('claim-adjudication'),
} as const;

export function rejectionCoding(reason: number): Coding {
  return {
    system: ClaimCodeSystems.rejectionReason,
    code: String(reason),
    display: rejectionDisplays[reason] ?? `Reason ${reason}`,
  };
}

export const visitCodes = { other: 'O', referral: 'R', emergency: 'E' } as const;
export const visitDisplays = { other: 'Other', referral: 'Referral', emergency: 'Emergency' } as const;

/** The claim's visit type as openIMIS codes it (Claim.type and ClaimResponse.type). */
export function visitTypeConcept(visit: keyof typeof visitCodes): { coding: Coding[] } {
  return { coding: [{ system: VISIT_TYPE_SYSTEM, code: visitCodes[visit], display: visitDisplays[visit] }] };
}
