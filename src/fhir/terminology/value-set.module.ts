import type { ValueSet } from '@medplum/fhirtypes';
import { DiagnosisValueSet } from '../../domain/medical/diagnosis-list.entity.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import { DIAGNOSIS_VALUE_SET_PROFILE, diagnosisValueSet } from './diagnoses.mapper.ts';
import { terminologySearchParams } from './terminology.search.ts';

/** ValueSet: the diagnoses a claim may carry. Read-only: it follows the diagnosis list (CodeSystem). */
export function valueSetModule(): ResourceModule<DiagnosisValueSet, null, ValueSet> {
  return {
    type: 'ValueSet',
    writesRefused: 'the ValueSet of all diagnoses follows the diagnosis CodeSystem: change that instead',
    profile: DIAGNOSIS_VALUE_SET_PROFILE,
    entity: DiagnosisValueSet,
    table: { table: 'diagnosis_value_set', live: 't.deleted_at is null' },
    searchParams: terminologySearchParams('ValueSet', "'Diagnoses a claim may carry'"),
    fieldPaths: {},
    projector: {
      resourceType: 'ValueSet',
      entity: DiagnosisValueSet,
      async render(_em, valueSets) {
        return new Map(valueSets.map((v) => [v, diagnosisValueSet()]));
      },
    },
  };
}
