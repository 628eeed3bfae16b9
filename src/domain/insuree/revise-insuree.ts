import type { EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { assertVersion } from '../shared/record.ts';
import type { Insuree } from './insuree.entity.ts';
import type { InsureeInput } from './insuree-input.ts';
import { applyInsureeInput } from './apply-insuree-input.ts';

/**
 * Replaces what is known of an insuree. The insurance number is the scheme's key for the person
 * (printed on cards, used in claims) and does not change.
 */
export async function reviseInsuree(
  em: EntityManager,
  insuree: Insuree,
  input: InsureeInput,
  expectedVersion?: number,
): Promise<Insuree> {
  assertVersion(insuree, expectedVersion, 'Patient');
  if (input.insuranceNumber !== undefined && input.insuranceNumber.trim() !== insuree.insuranceNumber) {
    throw new KingaError('insuree.insurance-number-immutable', {}, { field: 'insuranceNumber' });
  }
  await applyInsureeInput(em, insuree, input);
  return insuree;
}
