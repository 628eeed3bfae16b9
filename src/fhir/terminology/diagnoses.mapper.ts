import type { CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';
import type { Diagnosis } from '../../domain/medical/diagnosis.entity.ts';
import type { DiagnosisListInput } from '../../domain/medical/diagnosis-input.ts';
import type { DiagnosisList } from '../../domain/medical/diagnosis-list.entity.ts';
import { compact } from '../shared/fhir-values.ts';
import { KINGA, kingaProfile } from '../shared/openimis.ts';

/*
 * The diagnosis register is published as one CodeSystem (content complete, one concept per live
 * diagnosis) and a ValueSet of all its codes, the binding claims and EMRs use. The list is
 * maintained with the CodeSystem itself: PUT it with every concept (If-Match guards against a
 * concurrent edit), and the server registers new codes, renames changed ones and retires the codes
 * left out, in one transaction and one new version (CodeSystem/{id}/_history keeps each list).
 * FHIR has no standard write for a single concept, and a whole-list PUT is what terminology
 * servers accept for a CodeSystem; a Bundle transaction may carry it with other changes.
 */

export const DIAGNOSES_CODE_SYSTEM = `${KINGA}/CodeSystem/diagnoses`;
export const DIAGNOSES_VALUE_SET = `${KINGA}/ValueSet/diagnoses`;
export const DIAGNOSIS_CODE_SYSTEM_PROFILE = kingaProfile('kinga-diagnosis-code-system');
export const DIAGNOSIS_VALUE_SET_PROFILE = kingaProfile('kinga-diagnosis-value-set');

export const diagnosisCodeSystemFieldPaths: Record<string, string> = {
  title: 'CodeSystem.title',
  code: 'CodeSystem.concept.code',
  name: 'CodeSystem.concept.display',
  list: 'CodeSystem',
};

/** The list and its live diagnoses → the CodeSystem; the list's record version is its version. */
export function diagnosisListToCodeSystem(list: DiagnosisList, diagnoses: Diagnosis[]): CodeSystem {
  const concept: CodeSystemConcept[] = diagnoses
    .map((d) => ({ code: d.code, display: d.name }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return compact<CodeSystem>({
    resourceType: 'CodeSystem',
    meta: { profile: [DIAGNOSIS_CODE_SYSTEM_PROFILE] },
    url: DIAGNOSES_CODE_SYSTEM,
    version: String(list.version),
    name: 'Diagnoses',
    title: list.title,
    status: 'active',
    experimental: false,
    date: list.updatedAt.toISOString(),
    description:
      'The diagnoses (ICD-10 codes) claims may carry in this scheme. Maintained by updating this CodeSystem with every concept; codes left out are retired.',
    caseSensitive: true,
    valueSet: DIAGNOSES_VALUE_SET,
    content: 'complete',
    count: concept.length,
    concept,
  });
}

/** CodeSystem → the whole list; the profile has checked url, content and flat concepts with displays. */
export function codeSystemToDiagnosisList(resource: CodeSystem): DiagnosisListInput {
  return {
    title: resource.title ?? '',
    diagnoses: (resource.concept ?? []).map((c) => ({ code: c.code, name: c.display ?? '' })),
  };
}

/** Every code of the diagnosis list, current at expansion time (the include names no version). */
export function diagnosisValueSet(): ValueSet {
  return {
    resourceType: 'ValueSet',
    meta: { profile: [DIAGNOSIS_VALUE_SET_PROFILE] },
    url: DIAGNOSES_VALUE_SET,
    name: 'Diagnoses',
    title: 'Diagnoses a claim may carry',
    status: 'active',
    experimental: false,
    description: `Every live code of the scheme's diagnosis list (${DIAGNOSES_CODE_SYSTEM}).`,
    compose: { include: [{ system: DIAGNOSES_CODE_SYSTEM }] },
  };
}
