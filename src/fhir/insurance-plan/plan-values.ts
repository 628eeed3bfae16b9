import type { CodeableConcept, Quantity } from '@medplum/fhirtypes';
import { codeFrom, profileViolation } from '../shared/fhir-values.ts';
import { CURRENCY_SYSTEM, INSURANCE_PLAN_PROFILE, UCUM } from './insurance-plan.terms.ts';

/** Readers of the values an InsurancePlan carries; each failure is a 422 naming the element read. */

/**
 * A JSON decimal as the domain's decimal text. The domain checks the range and the decimals (at
 * most two); only what is not a plain decimal at all (1e21, NaN) is refused here.
 */
export function decimalText(value: number | undefined, expression: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const text = String(value);
  if (!Number.isFinite(value) || /e/i.test(text)) {
    throw profileViolation(INSURANCE_PLAN_PROFILE, expression, `${text} is not a plain decimal`);
  }
  return text;
}

const MONTH_UNITS = ['mo', 'month', 'months'];

/** A number of months: a Quantity in months (UCUM mo, or openIMIS's unit "months"). */
export function monthsIn(quantity: Quantity | undefined, expression: string): number | undefined {
  if (quantity === undefined) {
    return undefined;
  }
  const unit = quantity.system === UCUM ? quantity.code : (quantity.code ?? quantity.unit);
  if (unit !== undefined && !MONTH_UNITS.includes(unit)) {
    throw profileViolation(
      INSURANCE_PLAN_PROFILE,
      expression,
      `A period is counted in months, not in ${unit}`,
    );
  }
  return required(quantity.value, `${expression}.value`);
}

/** A count (members, claims, provisions): the Quantity's value. */
export function countIn(quantity: Quantity | undefined, expression: string): number | undefined {
  return quantity === undefined ? undefined : required(quantity.value, `${expression}.value`);
}

/** An amount in the scheme's currency: a Quantity of system urn:iso:std:iso:4217 (or none). */
export function amountIn(quantity: Quantity | undefined, expression: string): string | undefined {
  if (quantity === undefined) {
    return undefined;
  }
  if (quantity.system !== undefined && quantity.system !== CURRENCY_SYSTEM) {
    throw profileViolation(
      INSURANCE_PLAN_PROFILE,
      `${expression}.system`,
      `An amount is a Quantity of system ${CURRENCY_SYSTEM}`,
    );
  }
  return decimalText(required(quantity.value, `${expression}.value`), `${expression}.value`);
}

/** A limit: co-insurance (a percentage, UCUM %) or a fixed amount (urn:iso:std:iso:4217). */
export function limitIn(
  quantity: Quantity | undefined,
  expression: string,
): { type: 'C' | 'F'; value: string } | undefined {
  if (quantity === undefined) {
    return undefined;
  }
  const value = decimalText(required(quantity.value, `${expression}.value`), `${expression}.value`)!;
  if (quantity.code === '%' || (quantity.code === undefined && quantity.unit === '%')) {
    return { type: 'C', value };
  }
  if (quantity.system === CURRENCY_SYSTEM) {
    return { type: 'F', value };
  }
  throw profileViolation(
    INSURANCE_PLAN_PROFILE,
    expression,
    `A limit is a percentage (code %) for co-insurance or an amount (system ${CURRENCY_SYSTEM}) for a fixed limit`,
  );
}

/** The code of `value` from `system` when it is one of `allowed`; absent → undefined; else a 422. */
export function codeOf<T extends string>(
  value: CodeableConcept | undefined,
  system: string,
  allowed: readonly T[],
  expression: string,
): T | undefined {
  if (value === undefined) {
    return undefined;
  }
  const code = codeFrom(value, [system]);
  if (code === undefined || !allowed.includes(code as T)) {
    throw profileViolation(
      INSURANCE_PLAN_PROFILE,
      expression,
      `Expected a code of ${system}: ${allowed.join(', ')}`,
    );
  }
  return code as T;
}

function required(value: number | undefined, expression: string): number {
  if (value === undefined) {
    throw profileViolation(INSURANCE_PLAN_PROFILE, expression, 'A value is required', 'required');
  }
  return value;
}
