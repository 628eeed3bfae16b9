import type { CodeableConcept, Coding, Extension, Money, Timing, UsageContext } from '@medplum/fhirtypes';
import type { CareType } from '../../domain/medical/medical-codes.ts';
import { PatientCategory } from '../../domain/medical/medical-codes.ts';
import { isIsoDate } from '../../domain/shared/dates.ts';
import { compact, findExtension, profileViolation } from './fhir-values.ts';
import { KINGA, kingaExtension, openImisCodeSystem, openImisExtension } from './openimis.ts';

/** What Medication (items) and ActivityDefinition (services) share, as openIMIS publishes it. */

export const MedicalExtensions = {
  unitPrice: openImisExtension('unit-price'),
  maximumQuantity: kingaExtension('maximum-quantity'),
} as const;

/** openIMIS's Medication converter writes the unit price under this CodeSystem URL; read, never written. */
const OPENIMIS_MEDICATION_UNIT_PRICE = openImisCodeSystem('unit-price');

export const ITEM_CODE_SYSTEM = `${KINGA}/NamingSystem/medical-item-code`;
export const SERVICE_CODE_SYSTEM = `${KINGA}/NamingSystem/medical-service-code`;

const UsageSystems = {
  contextType: 'http://terminology.hl7.org/CodeSystem/usage-context-type',
  gender: 'http://hl7.org/fhir/administrative-gender',
  age: openImisCodeSystem('usage-context-age-type'),
  venue: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
} as const;

/** openIMIS's ActivityDefinition converter names v3-ActCode by its web page; read, never written. */
const OPENIMIS_VENUE_PAGE = 'http://terminology.hl7.org/2.1.0/CodeSystem-v3-ActCode.html';

const contextDisplays = {
  gender: 'Gender',
  age: 'Age Range',
  venue: 'Clinical Venue',
  workflow: 'Workflow Setting',
};
export type UsageContextCode = keyof typeof contextDisplays;

export function usageContextCoding(code: UsageContextCode): Coding {
  return { system: UsageSystems.contextType, code, display: contextDisplays[code] };
}

/** A decimal price for FHIR Money (JSON number; the register keeps it exact with two decimals). */
export function moneyToFhir(price: string): Money {
  return { value: Number(price) };
}

/** Money.value as the register's decimal text; its format and sign are the register's rules. */
export function moneyFromFhir(money: Money | undefined): string | undefined {
  return money?.value === undefined ? undefined : String(money.value);
}

/** The unit price extension, under the IG URL or openIMIS's Medication variant. */
export function unitPriceOf(extensions: Extension[] | undefined): string | undefined {
  const extension =
    findExtension(extensions, MedicalExtensions.unitPrice) ??
    findExtension(extensions, OPENIMIS_MEDICATION_UNIT_PRICE);
  return moneyFromFhir(extension?.valueMoney);
}

interface CategoryOption {
  bit: number;
  code: string;
  display: string;
}

const sexes: CategoryOption[] = [
  { bit: PatientCategory.male, code: 'male', display: 'Male' },
  { bit: PatientCategory.female, code: 'female', display: 'Female' },
];
const ages: CategoryOption[] = [
  { bit: PatientCategory.adult, code: 'adult', display: 'Adult' },
  { bit: PatientCategory.minor, code: 'child', display: 'Child' },
];

/** The sexes and the age groups a patient-category mask allows, as the openIMIS usage contexts. */
export function patientCategoryConcepts(mask: number): { gender: CodeableConcept; age: CodeableConcept } {
  const concept = (options: CategoryOption[], system: string): CodeableConcept => {
    const coding = options
      .filter((o) => mask & o.bit)
      .map((o) => ({ system, code: o.code, display: o.display }));
    return { coding, text: coding.map((c) => c.display).join(' or ') };
  };
  return { gender: concept(sexes, UsageSystems.gender), age: concept(ages, UsageSystems.age) };
}

/**
 * The mask from the gender and age contexts; a context left out allows everyone on that axis
 * (openIMIS would read it as nobody). Unknown codes are refused at `expression`.
 */
export function patientCategoryFrom(
  gender: CodeableConcept | undefined,
  age: CodeableConcept | undefined,
  profile: string,
  expression: string,
): number {
  const bits = (concept: CodeableConcept | undefined, options: CategoryOption[]): number => {
    const codes = (concept?.coding ?? []).map((c) => c.code);
    if (codes.length === 0) {
      return options.reduce((all, o) => all | o.bit, 0);
    }
    return codes.reduce((mask, code) => {
      const option = options.find((o) => o.code === code);
      if (!option) {
        throw profileViolation(
          profile,
          expression,
          `${code} is not one of ${options.map((o) => o.code).join(', ')}`,
        );
      }
      return mask | option.bit;
    }, 0);
  };
  return bits(gender, sexes) | bits(age, ages);
}

const venues: { careType: 'O' | 'I'; code: string; display: string }[] = [
  { careType: 'O', code: 'AMB', display: 'ambulatory' },
  { careType: 'I', code: 'IMP', display: 'inpatient encounter' },
];

/** Out-patient is ambulatory (AMB), in-patient IMP, both is both codings (as openIMIS). */
export function venueConcept(careType: CareType): CodeableConcept {
  const coding = venues
    .filter((v) => careType === 'B' || v.careType === careType)
    .map((v) => ({ system: UsageSystems.venue, code: v.code, display: v.display }));
  return { coding, text: coding.map((c) => c.display).join(' or ') };
}

export function careTypeFrom(
  venue: CodeableConcept | undefined,
  profile: string,
  expression: string,
): CareType | undefined {
  const found = new Set<'O' | 'I'>();
  for (const coding of venue?.coding ?? []) {
    const match = venues.find(
      (v) =>
        v.code === coding.code &&
        (!coding.system || coding.system === UsageSystems.venue || coding.system === OPENIMIS_VENUE_PAGE),
    );
    if (!match) {
      throw profileViolation(profile, expression, `${coding.code} is not a venue: AMB or IMP`);
    }
    found.add(match.careType);
  }
  if (found.size === 0) {
    return undefined;
  }
  return found.size === 2 ? 'B' : [...found][0]!;
}

/** The usage context with `code` among a list of them (ActivityDefinition.useContext). */
export function usageContext(
  contexts: UsageContext[] | undefined,
  code: UsageContextCode,
): UsageContext | undefined {
  return contexts?.find(
    (c) => c.code.code === code && (!c.code.system || c.code.system === UsageSystems.contextType),
  );
}

/** Minimum days between provisions as openIMIS writes it: once per `period` days. */
export function frequencyTiming(days: number | null): Timing | undefined {
  return days === null ? undefined : { repeat: { frequency: 1, period: days, periodUnit: 'd' } };
}

const daysPerUnit: Record<string, number> = { d: 1, wk: 7 };

export function frequencyFrom(
  timing: Timing | undefined,
  profile: string,
  expression: string,
): number | null {
  const repeat = timing?.repeat;
  if (repeat?.period === undefined) {
    return null;
  }
  if (repeat.frequency !== undefined && repeat.frequency !== 1) {
    throw profileViolation(profile, expression, 'The frequency is once per period (repeat.frequency 1)');
  }
  const factor = daysPerUnit[repeat.periodUnit ?? 'd'];
  if (factor === undefined) {
    throw profileViolation(profile, expression, 'The period is counted in days (d) or weeks (wk)');
  }
  return repeat.period * factor;
}

/** A validity period as the register's dates; a dateTime keeps its date. */
export function validityFrom(
  period: { start?: string; end?: string } | undefined,
  profile: string,
  expression: string,
): { validFrom: string | null; validTo: string | null } {
  const date = (value: string | undefined): string | null => {
    if (!value) {
      return null;
    }
    const day = value.slice(0, 10);
    if (!isIsoDate(day)) {
      throw profileViolation(profile, expression, `${value} is not a date`);
    }
    return day;
  };
  return { validFrom: date(period?.start), validTo: date(period?.end) };
}

export function validityPeriod(
  validFrom: string | null,
  validTo: string | null,
): { start?: string; end?: string } | undefined {
  if (!validFrom && !validTo) {
    return undefined;
  }
  return compact({ start: validFrom ?? undefined, end: validTo ?? undefined });
}
