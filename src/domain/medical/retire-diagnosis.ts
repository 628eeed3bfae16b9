import { touch } from '../shared/record.ts';
import type { Diagnosis } from './diagnosis.entity.ts';
import type { DiagnosisList } from './diagnosis-list.entity.ts';

/** Takes a diagnosis off the list; claims that carried it keep it, new ones cannot. */
export function retireDiagnosis(list: DiagnosisList, diagnosis: Diagnosis): void {
  diagnosis.deletedAt = new Date();
  touch(list);
}
