import type { Test } from 'tap';
import { validFhir, type FhirResponse, type TestApp } from '../helpers/test-app.ts';

/** Builders of CoverageEligibilityRequest bodies and readers of the answers, for the eligibility tests. */

export const K = 'https://kinga.health/fhir';
export const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
export const EXT = {
  notInForce: `${K}/StructureDefinition/eligibility-not-in-force`,
  exclusion: `${K}/StructureDefinition/eligibility-exclusion`,
  remaining: `${K}/StructureDefinition/eligibility-remaining`,
};

export interface Asked {
  kind: 'item' | 'service';
  code: string;
}

export function enquiry(
  patient: Record<string, unknown>,
  date: string | undefined,
  items: Asked[] = [],
  providerId?: string,
): Record<string, unknown> {
  return {
    resourceType: 'CoverageEligibilityRequest',
    status: 'active',
    purpose: ['benefits', 'validation'],
    patient,
    created: '2025-06-01',
    ...(date ? { servicedDate: date } : {}),
    insurer: { display: 'The scheme' },
    ...(providerId ? { provider: { reference: `Organization/${providerId}` } } : {}),
    ...(items.length
      ? {
          item: items.map((i) => ({
            category: { coding: [{ system: `${IG}/CodeSystem/claim-item-category`, code: i.kind }] },
            productOrService: { text: i.code },
          })),
        }
      : {}),
  };
}

/** POSTs the request; must be answered 200 with a valid CoverageEligibilityResponse. */
export async function ask(
  t: Test,
  kinga: TestApp,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<any> {
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/CoverageEligibilityRequest', body, headers });
  t.equal(res.status, 200, `answered: ${res.status === 200 ? '' : JSON.stringify(res.body)}`);
  const answer = validFhir(t, res, 'CoverageEligibilityResponse');
  t.equal(answer.resourceType, 'CoverageEligibilityResponse');
  return answer;
}

/** The answer's insurance for a policy cover (Coverage/<insuree policy id>). */
export function insuranceOf(answer: any, coverId: string): any {
  const found = answer.insurance?.find((i: any) => i.coverage.reference === `Coverage/${coverId}`);
  if (!found) {
    throw new Error(`no insurance for Coverage/${coverId} in ${JSON.stringify(answer.insurance)}`);
  }
  return found;
}

export interface BenefitValue {
  allowed?: number;
  used?: number;
  remaining?: number;
}

function valueOf(benefit: any): BenefitValue {
  const remaining = benefit.extension?.find((e: any) => e.url === EXT.remaining);
  const pick = (name: 'allowed' | 'used') =>
    benefit[`${name}UnsignedInt`] ?? benefit[`${name}Money`]?.value ?? benefit[`${name}String`];
  const value: BenefitValue = {};
  if (pick('allowed') !== undefined) {
    value.allowed = pick('allowed');
  }
  if (pick('used') !== undefined) {
    value.used = pick('used');
  }
  if (remaining) {
    value.remaining = remaining.valueUnsignedInt ?? remaining.valueMoney.value;
  }
  return value;
}

/** A benefit of the insurance's benefit package, by code (consultation-count, deductible-insuree-general…). */
export function packageBenefit(insurance: any, code: string): BenefitValue | undefined {
  const item = insurance.item.find((i: any) => i.category.coding[0].code === 'benefit-package');
  const benefit = item.benefit.find((b: any) => b.type.coding[0].code === code);
  return benefit && valueOf(benefit);
}

export interface ItemAnswer {
  excluded: boolean;
  reasons: string[];
  until: Record<string, string>;
  quantity: BenefitValue;
  coInsurance?: BenefitValue;
  fixedAmount?: BenefitValue;
  price?: number;
}

/** The answer about one code asked. */
export function answerFor(insurance: any, code: string): ItemAnswer {
  const item = insurance.item.find((i: any) => i.productOrService?.text === code);
  if (!item) {
    throw new Error(`no answer for ${code}`);
  }
  const exclusions = (item.extension ?? []).filter((e: any) => e.url === EXT.exclusion);
  const part = (e: any, url: string) => e.extension.find((x: any) => x.url === url);
  const until: Record<string, string> = {};
  for (const e of exclusions) {
    const date = part(e, 'until');
    if (date) {
      until[part(e, 'reason').valueCoding.code] = date.valueDate;
    }
  }
  const benefit = (code: string) => item.benefit.find((b: any) => b.type.coding[0].code === code);
  const answer: ItemAnswer = {
    excluded: item.excluded,
    reasons: exclusions.map((e: any) => part(e, 'reason').valueCoding.code),
    until,
    quantity: valueOf(benefit('quantity')),
  };
  if (benefit('co-insurance')) {
    answer.coInsurance = valueOf(benefit('co-insurance'));
  }
  if (benefit('fixed-amount')) {
    answer.fixedAmount = valueOf(benefit('fixed-amount'));
  }
  if (benefit('price')) {
    answer.price = benefit('price').allowedMoney.value;
  }
  return answer;
}

export function errorCodes(answer: any): string[] {
  return (answer.error ?? []).map((e: any) => e.code.coding[0].code);
}

export function outcomeIssue(t: Test, res: FhirResponse): any {
  const outcome = validFhir(t, res, 'OperationOutcome');
  t.equal(outcome.resourceType, 'OperationOutcome');
  return outcome.issue[0];
}
