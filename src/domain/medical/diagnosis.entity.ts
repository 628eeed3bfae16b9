import { defineEntity, p } from '@mikro-orm/core';
import { liveUnique, recordProperties } from '../shared/record.ts';
import type { DiagnosisInput } from './diagnosis-input.ts';
import { requiredText } from './medical-rules.ts';

/** A diagnosis a claim may carry: the scheme's configurable list of ICD-10 codes (openIMIS tblICDCodes). */
export const DiagnosisSchema = defineEntity({
  name: 'Diagnosis',
  tableName: 'diagnosis',
  properties: {
    ...recordProperties,
    code: p.string().length(20),
    name: p.string().length(300),
  },
  indexes: [{ name: 'diagnosis_code_live_unique', expression: liveUnique('diagnosis', 'code') }],
});

export class Diagnosis extends DiagnosisSchema.class {
  /** Code and name, trimmed and within their lengths. Codes are case-sensitive, as ICD-10 is. */
  static checked(input: DiagnosisInput): DiagnosisInput {
    return { code: requiredText(input.code, 'code', 20), name: requiredText(input.name, 'name', 300) };
  }
}
DiagnosisSchema.setClass(Diagnosis);
