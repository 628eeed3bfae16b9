/** I in-patient, O out-patient, B both (openIMIS care_type). */
export const CareTypes = ['I', 'O', 'B'] as const;
export type CareType = (typeof CareTypes)[number];

/**
 * Who an item or service is for, as openIMIS's bitmask: 1 male, 2 female, 4 adult, 8 minor (15 all).
 * A patient is allowed when both their sex bit and their age bit are set.
 */
export const PatientCategory = { male: 1, female: 2, adult: 4, minor: 8, all: 15 } as const;

export function patientCategoryAllows(
  mask: number,
  patient: { sex?: 'M' | 'F' | 'O' | null; adult: boolean },
): boolean {
  const ageBit = patient.adult ? PatientCategory.adult : PatientCategory.minor;
  const sexBits =
    patient.sex === 'M'
      ? PatientCategory.male
      : patient.sex === 'F'
        ? PatientCategory.female
        : PatientCategory.male | PatientCategory.female;
  return (mask & ageBit) !== 0 && (mask & sexBits) !== 0;
}
