import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { Insuree } from './insuree.entity.ts';
import type { InsureeInput } from './insuree-input.ts';
import { insuranceNumberProblem, type InsuranceNumberRules } from './insurance-number.ts';
import { applyInsureeInput } from './apply-insuree-input.ts';
import { usePreprintedNumber } from './use-preprinted-number.ts';

/** Registers an insuree under the scheme's insurance number, checked and unique among live insurees. */
export async function registerInsuree(
  em: EntityManager,
  input: InsureeInput,
  rules: InsuranceNumberRules,
): Promise<Insuree> {
  const number = input.insuranceNumber?.trim();
  if (!number) {
    throw new KingaError('insuree.insurance-number-required', {}, { field: 'insuranceNumber' });
  }
  const problem = insuranceNumberProblem(number, rules);
  if (problem) {
    throw new KingaError(
      'insuree.insurance-number-invalid',
      { number, reason: problem },
      { field: 'insuranceNumber' },
    );
  }
  const insuree = em.create(Insuree, {
    ...(input.id ? { id: input.id } : {}),
    insuranceNumber: number,
    lastName: '',
    otherNames: '',
  });
  await applyInsureeInput(em, insuree, input);
  await usePreprintedNumber(em, insuree, rules);
  return insuree;
}
