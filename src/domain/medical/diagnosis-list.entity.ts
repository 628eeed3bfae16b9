import { defineEntity, p } from '@mikro-orm/core';
import { recordProperties } from '../shared/record.ts';

/**
 * The scheme's diagnosis list as a whole (openIMIS keeps one list of ICD codes). Its record version
 * is the list's version: every change to a diagnosis touches it, so the list is published anew
 * (as a whole) after each change, with history. One live list per scheme.
 */
export const DiagnosisListSchema = defineEntity({
  name: 'DiagnosisList',
  tableName: 'diagnosis_list',
  properties: {
    ...recordProperties,
    title: p.string().length(200),
  },
  indexes: [
    {
      name: 'diagnosis_list_live_unique',
      expression:
        'create unique index "diagnosis_list_live_unique" on "diagnosis_list" ((true)) where "deleted_at" is null',
    },
  ],
});
export class DiagnosisList extends DiagnosisListSchema.class {}
DiagnosisListSchema.setClass(DiagnosisList);

/**
 * The same list as the set of codes a claim may carry. It holds nothing but its record columns:
 * it exists so that set has an identity and a version of its own (FHIR publishes it as a
 * ValueSet next to the list's CodeSystem). Created with the list, never changed.
 */
export const DiagnosisValueSetSchema = defineEntity({
  name: 'DiagnosisValueSet',
  tableName: 'diagnosis_value_set',
  properties: {
    ...recordProperties,
  },
});
export class DiagnosisValueSet extends DiagnosisValueSetSchema.class {}
DiagnosisValueSetSchema.setClass(DiagnosisValueSet);
