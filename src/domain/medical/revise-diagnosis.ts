import { touch } from '../shared/record.ts';
import { Diagnosis } from './diagnosis.entity.ts';
import type { DiagnosisInput } from './diagnosis-input.ts';
import type { DiagnosisList } from './diagnosis-list.entity.ts';

/** Corrects a diagnosis's code or name; the list gets a new version when anything changed. */
export function reviseDiagnosis(list: DiagnosisList, diagnosis: Diagnosis, input: DiagnosisInput): void {
  const { code, name } = Diagnosis.checked(input);
  if (code !== diagnosis.code || name !== diagnosis.name) {
    diagnosis.code = code;
    diagnosis.name = name;
    touch(list);
  }
}
