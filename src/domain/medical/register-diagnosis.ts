import type { EntityManager } from '@mikro-orm/core';
import { touch } from '../shared/record.ts';
import { Diagnosis } from './diagnosis.entity.ts';
import type { DiagnosisInput } from './diagnosis-input.ts';
import type { DiagnosisList } from './diagnosis-list.entity.ts';

/**
 * Adds a diagnosis to the list, which gets a new version. The code
 * is unique among live diagnoses (its index).
 */
export function registerDiagnosis(em: EntityManager, list: DiagnosisList, input: DiagnosisInput): Diagnosis {
  touch(list);
  return em.create(Diagnosis, Diagnosis.checked(input));
}
