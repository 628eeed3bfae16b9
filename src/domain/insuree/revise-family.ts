import type { EntityManager } from '@mikro-orm/core';
import { assertVersion } from '../shared/record.ts';
import type { Family } from './family.entity.ts';
import type { FamilyInput } from './family-input.ts';
import { applyFamilyInput } from './register-family.ts';

export async function reviseFamily(
  em: EntityManager,
  family: Family,
  input: FamilyInput,
  expectedVersion?: number,
): Promise<Family> {
  assertVersion(family, expectedVersion, 'Group');
  await applyFamilyInput(em, family, input);
  return family;
}
