import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { isMoney, normaliseMoney, toMinor, type Money } from '../shared/money.ts';
import { PatientCategory } from './medical-codes.ts';

/** Rules every register of the medical area shares (items, services, price lists, diagnoses). */

/** How a field reads in a message; the field itself names the element in the error. */
const labels: Record<string, string> = {
  maximumQuantity: 'maximum quantity',
  frequencyDays: 'number of days between two provisions',
};
const label = (field: string): string => labels[field] ?? field;

/** A trimmed, non-empty text of at most `max` characters. */
export function requiredText(value: string | undefined | null, field: string, max: number): string {
  const text = value?.trim() ?? '';
  if (!text) {
    throw new KingaError('medical.text-required', { field: label(field) }, { field });
  }
  return limitedText(text, field, max);
}

export function limitedText(value: string, field: string, max: number): string {
  if (value.length > max) {
    throw new KingaError('medical.text-too-long', { field: label(field), max }, { field });
  }
  return value;
}

/** A price (register price, price-list overrule, component price): money, never negative; two decimals. */
export function price(value: Money, field: string): Money {
  if (!isMoney(value)) {
    throw new KingaError('medical.price-invalid', { price: value }, { field });
  }
  if (toMinor(value) < 0n) {
    throw new KingaError('medical.price-negative', { price: value }, { field });
  }
  return normaliseMoney(value);
}

/** A count such as a maximum quantity (at least 1) or a number of days between provisions (at least 0). */
export function wholeNumber(value: number | null | undefined, field: string, min: number): number | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (!Number.isInteger(value) || value < min) {
    throw new KingaError('medical.quantity-invalid', { field: label(field), min, value }, { field });
  }
  return value;
}

/** The validity window, when both ends are known, runs forwards. */
function assertValidity(from: IsoDate | null | undefined, to: IsoDate | null | undefined): void {
  if (from && to && to < from) {
    throw new KingaError('medical.validity-dates', { from, to }, { field: 'validTo' });
  }
}

/** Whether `date` lies in the validity window (open ends are unbounded). */
export function isWithin(
  date: IsoDate,
  from: IsoDate | null | undefined,
  to: IsoDate | null | undefined,
): boolean {
  return (!from || from <= date) && (!to || date <= to);
}

/** The patient-category mask must let someone have the item or service: a sex bit and an age bit. */
export function patientCategory(mask: number): number {
  const sexes = PatientCategory.male | PatientCategory.female;
  const ages = PatientCategory.adult | PatientCategory.minor;
  if (
    !Number.isInteger(mask) ||
    mask < 0 ||
    mask > PatientCategory.all ||
    !(mask & sexes) ||
    !(mask & ages)
  ) {
    throw new KingaError('medical.patient-category-invalid', { mask }, { field: 'patientCategory' });
  }
  return mask;
}

/** What items and services share: how often, how much, for whom and when they may be provided. */
export interface ProvisionRules {
  maximumQuantity?: number | null;
  frequencyDays?: number | null;
  patientCategory: number;
  validFrom?: IsoDate | null;
  validTo?: IsoDate | null;
}

/** A quantity limit of at least one, a frequency of zero days or more, someone to provide to, a forward validity. */
export function assertProvisionRules(rules: ProvisionRules): void {
  wholeNumber(rules.maximumQuantity, 'maximumQuantity', 1);
  wholeNumber(rules.frequencyDays, 'frequencyDays', 0);
  patientCategory(rules.patientCategory);
  assertValidity(rules.validFrom, rules.validTo);
}
