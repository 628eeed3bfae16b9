import type { CodeSystem } from '@medplum/fhirtypes';
import { Diagnosis } from '../../domain/medical/diagnosis.entity.ts';
import type { DiagnosisListInput } from '../../domain/medical/diagnosis-input.ts';
import { DiagnosisList } from '../../domain/medical/diagnosis-list.entity.ts';
import { createDiagnosisList, replaceDiagnosisList } from '../../domain/medical/replace-diagnosis-list.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import {
  codeSystemToDiagnosisList,
  DIAGNOSIS_CODE_SYSTEM_PROFILE,
  diagnosisCodeSystemFieldPaths,
  diagnosisListToCodeSystem,
} from './diagnoses.mapper.ts';
import { terminologySearchParams } from './terminology.search.ts';

/** CodeSystem ⇄ the diagnosis list (the scheme's only maintained code system). */
export function codeSystemModule(): ResourceModule<DiagnosisList, DiagnosisListInput, CodeSystem> {
  return {
    type: 'CodeSystem',
    writesRefused: 'the diagnosis list is never deleted: update it, and the codes left out are retired',
    profile: DIAGNOSIS_CODE_SYSTEM_PROFILE,
    entity: DiagnosisList,
    table: { table: 'diagnosis_list', live: 't.deleted_at is null' },
    searchParams: terminologySearchParams('CodeSystem', 't.title'),
    fieldPaths: diagnosisCodeSystemFieldPaths,
    projector: {
      resourceType: 'CodeSystem',
      entity: DiagnosisList,
      async render(em, lists) {
        const diagnoses = lists.length === 0 ? [] : await em.find(Diagnosis, { deletedAt: null });
        return new Map(lists.map((list) => [list, diagnosisListToCodeSystem(list, diagnoses)]));
      },
    },
    toInput: (resource) => codeSystemToDiagnosisList(resource),
    create: (em, input) => createDiagnosisList(em, input),
    update: async (em, list, input, expectedVersion) => {
      await replaceDiagnosisList(em, list, input, expectedVersion);
    },
  };
}
