import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { assertVersion, touch } from '../shared/record.ts';
import { Diagnosis } from './diagnosis.entity.ts';
import type { DiagnosisListInput } from './diagnosis-input.ts';
import { DiagnosisList, DiagnosisValueSet } from './diagnosis-list.entity.ts';
import { requiredText } from './medical-rules.ts';
import { registerDiagnosis } from './register-diagnosis.ts';
import { retireDiagnosis } from './retire-diagnosis.ts';
import { reviseDiagnosis } from './revise-diagnosis.ts';

/**
 * Starts the scheme's diagnosis list, with its value set, and its diagnoses. A scheme has one
 * list: a second is refused here, and by the list's index should two start at once.
 */
export async function createDiagnosisList(
  em: EntityManager,
  input: DiagnosisListInput,
): Promise<DiagnosisList> {
  if ((await em.count(DiagnosisList, { deletedAt: null })) > 0) {
    throw new KingaError('diagnosis.list-exists');
  }
  em.create(DiagnosisValueSet, {});
  const list = em.create(DiagnosisList, { title: requiredText(input.title, 'title', 200) });
  await replaceDiagnoses(em, list, input);
  return list;
}

/**
 * Makes the list exactly the diagnoses given, in one version: new codes are registered, changed
 * names revised, codes left out retired. An unchanged list keeps its version.
 */
export async function replaceDiagnosisList(
  em: EntityManager,
  list: DiagnosisList,
  input: DiagnosisListInput,
  expectedVersion?: number,
): Promise<DiagnosisList> {
  assertVersion(list, expectedVersion, 'CodeSystem');
  const title = requiredText(input.title, 'title', 200);
  if (title !== list.title) {
    list.title = title;
    touch(list);
  }
  await replaceDiagnoses(em, list, input);
  return list;
}

async function replaceDiagnoses(
  em: EntityManager,
  list: DiagnosisList,
  input: DiagnosisListInput,
): Promise<void> {
  const wanted = new Map<string, string>();
  for (const entry of input.diagnoses) {
    const { code, name } = Diagnosis.checked(entry);
    if (wanted.has(code)) {
      throw new KingaError('diagnosis.listed-twice', { code }, { field: 'code' });
    }
    wanted.set(code, name);
  }
  const live = await em.find(Diagnosis, { deletedAt: null });
  for (const diagnosis of live) {
    const name = wanted.get(diagnosis.code);
    if (name === undefined) {
      retireDiagnosis(list, diagnosis);
    } else {
      reviseDiagnosis(list, diagnosis, { code: diagnosis.code, name });
      wanted.delete(diagnosis.code);
    }
  }
  for (const [code, name] of wanted) {
    registerDiagnosis(em, list, { code, name });
  }
}
