import type { EntityManager } from '@mikro-orm/core';
import { assertVersion } from '../shared/record.ts';
import type { Organisation } from './organisation.entity.ts';
import type { OrganisationInput } from './organisation-input.ts';
import { applyOrganisationInput } from './register-organisation.ts';

export async function reviseOrganisation(
  em: EntityManager,
  organisation: Organisation,
  input: OrganisationInput,
  expectedVersion?: number,
): Promise<Organisation> {
  assertVersion(organisation, expectedVersion, 'Organization');
  await applyOrganisationInput(em, organisation, input);
  return organisation;
}
