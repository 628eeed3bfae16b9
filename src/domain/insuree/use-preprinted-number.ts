import { LockMode, type EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { InsuranceNumberAllocation } from './insurance-number-allocation.entity.ts';
import type { Insuree } from './insuree.entity.ts';
import type { InsuranceNumberRules } from './insurance-number.ts';

/**
 * At enrolment: a number from a pre-printed block is used once, by the insuree registered with it;
 * where the scheme only accepts pre-printed numbers, any other number is refused. The block row is
 * locked, so two enrolments with one card cannot both take it.
 */
export async function usePreprintedNumber(
  em: EntityManager,
  insuree: Insuree,
  rules: InsuranceNumberRules,
): Promise<void> {
  const allocation = await em.findOne(
    InsuranceNumberAllocation,
    { number: insuree.insuranceNumber },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (allocation) {
    allocation.useFor(insuree);
  } else if (rules.requireAllocation) {
    throw new KingaError(
      'insuree.insurance-number-not-allocated',
      { number: insuree.insuranceNumber },
      { field: 'insuranceNumber' },
    );
  }
}
