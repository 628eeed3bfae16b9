import type {
  CoverageEligibilityResponse,
  CoverageEligibilityResponseInsurance,
  CoverageEligibilityResponseInsuranceItem,
  CoverageEligibilityResponseInsuranceItemBenefit,
  Extension,
  Patient,
  Reference,
} from '@medplum/fhirtypes';
import type { EligibilityEnquiry } from '../../domain/eligibility/eligibility-enquiry.entity.ts';
import type { InsuranceAnswer, RequestedAnswer } from '../../domain/eligibility/eligibility-result.ts';
import type { Money } from '../../domain/shared/money.ts';
import type { SchemeInsurer } from '../shared/scheme-insurer.ts';
import type { MappingContext } from '../core/resource-module.ts';
import { compact, uuidIdentifier } from '../shared/fhir-values.ts';
import { ITEM_CODE_SYSTEM, SERVICE_CODE_SYSTEM } from '../shared/medical-values.ts';
import { fhirMoney, insurerReference, policyStatusExtension } from '../shared/policy-values.ts';
import {
  benefitCoding,
  BenefitCodes,
  ELIGIBILITY_RESPONSE_PROFILE,
  EligibilityExtensions,
  reasonCoding,
  reasonDisplays,
} from './eligibility.terms.ts';

type Benefit = CoverageEligibilityResponseInsuranceItemBenefit;

/** The enquiry as answered, with the scheme's insurer (FHIR requires one). */
export interface AnsweredEnquiry {
  enquiry: EligibilityEnquiry;
  insurer: SchemeInsurer | null;
}

/** The patient as the answer names them: the record when known, else as the request named them. */
export function patientOf(enquiry: EligibilityEnquiry): Reference<Patient> {
  return enquiry.insuree
    ? { reference: `Patient/${enquiry.insuree.id}` }
    : { display: `Unknown patient: ${enquiry.patientGiven}` };
}

/**
 * EligibilityEnquiry → CoverageEligibilityResponse. outcome is `error` when the patient is not
 * known, else `complete`; error[] carries the coded reason when there is no cover (in force).
 * One insurance per cover listed, in force first (inforce false with the reason otherwise); each
 * has the benefit package (claim counts, category amounts, deductibles and ceilings: allowed,
 * used, and what remains in an extension; zero is written as zero) then one item per thing asked.
 */
export function enquiryToResponse(
  answered: AnsweredEnquiry,
  context: MappingContext,
): CoverageEligibilityResponse {
  const { enquiry, insurer } = answered;
  const { assessment } = enquiry;
  const currency = context.config.CURRENCY;
  const unknown = assessment.errors.includes('patient-unknown');
  return compact<CoverageEligibilityResponse>({
    resourceType: 'CoverageEligibilityResponse',
    meta: { profile: [ELIGIBILITY_RESPONSE_PROFILE] },
    identifier: [uuidIdentifier(enquiry.id)],
    status: 'active',
    purpose: enquiry.purposes as CoverageEligibilityResponse['purpose'],
    patient: patientOf(enquiry),
    servicedDate: enquiry.servicedDate,
    created: enquiry.createdAt.toISOString(),
    requestor: enquiry.facility ? { reference: `Organization/${enquiry.facility.id}` } : undefined,
    request: { reference: `CoverageEligibilityRequest/${enquiry.id}` },
    outcome: unknown ? 'error' : 'complete',
    disposition: dispositionOf(enquiry),
    insurer: insurerReference(insurer) as CoverageEligibilityResponse['insurer'],
    insurance: assessment.insurances.map((insurance) => insuranceOf(insurance, currency)),
    error: assessment.errors.map((code) => ({
      code: { coding: [reasonCoding(code)], text: reasonDisplays[code] },
    })),
  });
}

function dispositionOf(enquiry: EligibilityEnquiry): string {
  const { insurances, errors } = enquiry.assessment;
  if (errors.length > 0) {
    return errors.map((e) => reasonDisplays[e]).join('; ');
  }
  const inForce = insurances.filter((i) => i.inForce).map((i) => i.productCode);
  return `Covered on ${enquiry.servicedDate} by ${inForce.join(', ')}`;
}

function insuranceOf(insurance: InsuranceAnswer, currency: string): CoverageEligibilityResponseInsurance {
  const extension: Extension[] = [policyStatusExtension(insurance.policyStatus)];
  if (insurance.notInForce) {
    extension.push({
      url: EligibilityExtensions.notInForce,
      valueCoding: reasonCoding(insurance.notInForce),
    });
  }
  return {
    extension,
    coverage: { reference: `Coverage/${insurance.insureePolicyId}` },
    inforce: insurance.inForce,
    benefitPeriod: { start: insurance.start, end: insurance.end },
    item: [packageItem(insurance, currency), ...insurance.requested.map((r) => requestedItem(r, currency))],
  };
}

const remainingCount = (remaining: number | null): Extension[] | undefined =>
  remaining === null ? undefined : [{ url: EligibilityExtensions.remaining, valueUnsignedInt: remaining }];
const remainingMoney = (remaining: Money | null, currency: string): Extension[] | undefined =>
  remaining === null
    ? undefined
    : [{ url: EligibilityExtensions.remaining, valueMoney: fhirMoney(remaining, currency) }];

function packageItem(insurance: InsuranceAnswer, currency: string): CoverageEligibilityResponseInsuranceItem {
  const benefit: Benefit[] = [
    ...insurance.counts.map((c) =>
      compact<Benefit>({
        extension: remainingCount(c.remaining),
        type: { coding: [benefitCoding(BenefitCodes.count(c.category))] },
        allowedUnsignedInt: c.allowed ?? undefined,
        usedUnsignedInt: Math.max(0, c.used),
      }),
    ),
    ...insurance.amounts.map((a) =>
      compact<Benefit>({
        extension: remainingMoney(a.remaining, currency),
        type: { coding: [benefitCoding(BenefitCodes.amount(a.category))] },
        allowedMoney: a.allowed === null ? undefined : fhirMoney(a.allowed, currency),
        usedMoney: fhirMoney(a.used, currency),
      }),
    ),
    ...insurance.grid.map((g) =>
      compact<Benefit>({
        extension: remainingMoney(g.remaining, currency),
        type: { coding: [benefitCoding(BenefitCodes.grid(g.kind, g.per, g.scope))] },
        allowedMoney: fhirMoney(g.allowed, currency),
        usedMoney: g.used === null ? undefined : fhirMoney(g.used, currency),
      }),
    ),
  ];
  return {
    category: { coding: [benefitCoding(BenefitCodes.package)] },
    name: insurance.productName,
    description: insurance.productCode,
    benefit,
  };
}

function requestedItem(answer: RequestedAnswer, currency: string): CoverageEligibilityResponseInsuranceItem {
  const benefit: Benefit[] = [
    compact<Benefit>({
      extension: remainingCount(answer.quantityRemaining),
      type: { coding: [benefitCoding(BenefitCodes.quantity)] },
      allowedUnsignedInt: answer.quantityAllowed ?? undefined,
      usedUnsignedInt: Math.max(0, answer.quantityUsed),
    }),
  ];
  if (answer.limitation?.type === 'C') {
    const percent = Number(answer.limitation.limit);
    benefit.push({
      type: { coding: [benefitCoding(BenefitCodes.coInsurance)] },
      ...(Number.isInteger(percent)
        ? { allowedUnsignedInt: percent }
        : { allowedString: answer.limitation.limit }),
    });
  } else if (answer.limitation?.type === 'F') {
    benefit.push({
      type: { coding: [benefitCoding(BenefitCodes.fixedAmount)] },
      allowedMoney: fhirMoney(answer.limitation.limit, currency),
    });
  }
  if (answer.price !== null) {
    benefit.push({
      type: { coding: [benefitCoding(BenefitCodes.price)] },
      allowedMoney: fhirMoney(answer.price, currency),
    });
  }
  return compact<CoverageEligibilityResponseInsuranceItem>({
    extension: answer.exclusions.map((e) => ({
      url: EligibilityExtensions.exclusion,
      extension: [
        { url: 'reason', valueCoding: reasonCoding(e.reason) },
        ...(e.until ? [{ url: 'until', valueDate: e.until }] : []),
        ...(e.category ? [{ url: 'category', valueCode: e.category }] : []),
      ],
    })),
    // ces-1: category or productOrService, not both; the code's system tells item from service.
    productOrService: {
      coding: [
        { system: answer.kind === 'item' ? ITEM_CODE_SYSTEM : SERVICE_CODE_SYSTEM, code: answer.code },
      ],
      text: answer.code,
    },
    excluded: !answer.covered,
    benefit,
  });
}
