import type { Extension, Medication } from '@medplum/fhirtypes';
import { ItemTypes, type ItemType, type MedicalItem } from '../../domain/medical/medical-item.entity.ts';
import type { MedicalItemInput } from '../../domain/medical/medical-item-input.ts';
import {
  codeIdentifier,
  codeIn,
  compact,
  concept,
  findExtension,
  identifierTypeCode,
  profileViolation,
  uuidIdentifier,
} from '../shared/fhir-values.ts';
import {
  careTypeFrom,
  frequencyFrom,
  frequencyTiming,
  ITEM_CODE_SYSTEM,
  MedicalExtensions,
  moneyToFhir,
  patientCategoryConcepts,
  patientCategoryFrom,
  unitPriceOf,
  usageContextCoding,
  validityFrom,
  validityPeriod,
  venueConcept,
} from '../shared/medical-values.ts';
import {
  extensionPath,
  kingaExtension,
  kingaProfile,
  openImisCodeSystem,
  openImisExtension,
} from '../shared/openimis.ts';

export const MEDICATION_PROFILE = kingaProfile('kinga-medication');

export const MedicationExtensions = {
  ...MedicalExtensions,
  type: openImisExtension('medication-type'),
  frequency: openImisExtension('medication-frequency'),
  usageContext: openImisExtension('medication-usage-context'),
  level: openImisExtension('medication-level'),
  validity: kingaExtension('validity-period'),
} as const;

export const ItemTypeSystem = openImisCodeSystem('medication-item-type');
const MEDICATION_LEVEL_SYSTEM = openImisCodeSystem('medication-level');
const itemTypeDisplays: Record<ItemType, string> = { D: 'Drug', M: 'Medical consumable' };

/** Sub-extensions of medication-usage-context, as openIMIS names them. */
const UsageSlices = { gender: 'Gender', age: 'Age', careType: 'CareType' } as const;

export const medicationFieldPaths: Record<string, string> = {
  code: 'Medication.identifier',
  name: 'Medication.code.text',
  type: extensionPath('Medication', MedicationExtensions.type),
  package: 'Medication.form.text',
  price: extensionPath('Medication', MedicationExtensions.unitPrice),
  maximumQuantity: extensionPath('Medication', MedicationExtensions.maximumQuantity),
  careType: extensionPath('Medication', MedicationExtensions.usageContext),
  patientCategory: extensionPath('Medication', MedicationExtensions.usageContext),
  frequencyDays: extensionPath('Medication', MedicationExtensions.frequency),
  validFrom: extensionPath('Medication', MedicationExtensions.validity),
  validTo: extensionPath('Medication', MedicationExtensions.validity),
};

/** Medical item → Medication, in the openIMIS IG's shape plus Kinga's maximum quantity and validity. */
export function itemToMedication(item: MedicalItem): Medication {
  const { gender, age } = patientCategoryConcepts(item.patientCategory);
  const usage = (url: string, code: 'gender' | 'age' | 'venue', value: typeof gender): Extension => ({
    url,
    valueUsageContext: { code: usageContextCoding(code), valueCodeableConcept: value },
  });
  const extension: Extension[] = [
    { url: MedicationExtensions.unitPrice, valueMoney: moneyToFhir(item.price) },
    {
      url: MedicationExtensions.type,
      valueCodeableConcept: concept(ItemTypeSystem, item.type, itemTypeDisplays[item.type]),
    },
  ];
  const timing = frequencyTiming(item.frequencyDays ?? null);
  if (timing) {
    extension.push({ url: MedicationExtensions.frequency, valueTiming: timing });
  }
  extension.push({
    url: MedicationExtensions.usageContext,
    extension: [
      usage(UsageSlices.gender, 'gender', gender),
      usage(UsageSlices.age, 'age', age),
      usage(UsageSlices.careType, 'venue', venueConcept(item.careType)),
    ],
  });
  // openIMIS marks every Medication as level M; clients written for it look for the extension.
  extension.push({
    url: MedicationExtensions.level,
    valueCodeableConcept: { ...concept(MEDICATION_LEVEL_SYSTEM, 'M', 'Medication'), text: 'Medication' },
  });
  if (item.maximumQuantity != null) {
    extension.push({ url: MedicationExtensions.maximumQuantity, valuePositiveInt: item.maximumQuantity });
  }
  const validity = validityPeriod(item.validFrom ?? null, item.validTo ?? null);
  if (validity) {
    extension.push({ url: MedicationExtensions.validity, valuePeriod: validity });
  }
  return compact<Medication>({
    resourceType: 'Medication',
    meta: { profile: [MEDICATION_PROFILE] },
    extension,
    identifier: [uuidIdentifier(item.id), codeIdentifier(ITEM_CODE_SYSTEM, item.code)],
    code: { text: item.name },
    status: 'active',
    form: item.package ? { text: item.package } : undefined,
  });
}

/** Medication (Kinga's or openIMIS's) → what the item use cases take. */
export function medicationToItem(medication: Medication): MedicalItemInput {
  const extension = (url: string) => findExtension(medication.extension, url);
  const code = medication.identifier?.find(
    (i) => i.system === ITEM_CODE_SYSTEM || identifierTypeCode(i) === 'Code',
  )?.value;
  if (!code?.trim()) {
    throw profileViolation(
      MEDICATION_PROFILE,
      'Medication.identifier',
      'A medical item needs its code: an identifier of type Code',
      'required',
    );
  }
  const type = codeIn(
    extension(MedicationExtensions.type)?.valueCodeableConcept,
    ItemTypes,
    MEDICATION_PROFILE,
    medicationFieldPaths['type']!,
  );
  if (!type) {
    throw profileViolation(
      MEDICATION_PROFILE,
      medicationFieldPaths['type']!,
      'The item type (D or M) is required',
      'required',
    );
  }
  const price = unitPriceOf(medication.extension);
  if (price === undefined) {
    throw profileViolation(
      MEDICATION_PROFILE,
      medicationFieldPaths['price']!,
      'The unit price is required',
      'required',
    );
  }
  const usage = extension(MedicationExtensions.usageContext)?.extension;
  const usageValue = (slice: string) => findExtension(usage, slice)?.valueUsageContext?.valueCodeableConcept;
  const usagePath = medicationFieldPaths['patientCategory']!;
  const careType = careTypeFrom(usageValue(UsageSlices.careType), MEDICATION_PROFILE, usagePath);
  return {
    code: code.trim(),
    name: medication.code?.text ?? medication.code?.coding?.[0]?.display ?? '',
    type,
    package: medication.form?.text ?? null,
    price,
    maximumQuantity: extension(MedicationExtensions.maximumQuantity)?.valuePositiveInt ?? null,
    ...(careType ? { careType } : {}),
    frequencyDays: frequencyFrom(
      extension(MedicationExtensions.frequency)?.valueTiming,
      MEDICATION_PROFILE,
      medicationFieldPaths['frequencyDays']!,
    ),
    patientCategory: patientCategoryFrom(
      usageValue(UsageSlices.gender),
      usageValue(UsageSlices.age),
      MEDICATION_PROFILE,
      usagePath,
    ),
    ...validityFrom(
      extension(MedicationExtensions.validity)?.valuePeriod,
      MEDICATION_PROFILE,
      medicationFieldPaths['validFrom']!,
    ),
  };
}
