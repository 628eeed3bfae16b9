import type { Organization } from '@medplum/fhirtypes';
import { Organisation } from '../../domain/organisation/organisation.entity.ts';
import type { OrganisationInput } from '../../domain/organisation/organisation-input.ts';
import { registerOrganisation } from '../../domain/organisation/register-organisation.ts';
import { retireOrganisation } from '../../domain/organisation/retire-organisation.ts';
import { reviseOrganisation } from '../../domain/organisation/revise-organisation.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import {
  fhirToOrganisation,
  ORGANIZATION_PROFILE,
  organisationToFhir,
  organizationFieldPaths,
} from './organization.mapper.ts';
import { organizationSearchParams } from './organization.search.ts';

/** Organization ⇄ organisation register (health facilities and the insurer). */
export function organizationModule(): ResourceModule<Organisation, OrganisationInput, Organization> {
  return {
    type: 'Organization',
    profile: ORGANIZATION_PROFILE,
    entity: Organisation,
    table: { table: 'organisation', live: 't.deleted_at is null' },
    searchParams: organizationSearchParams,
    fieldPaths: organizationFieldPaths,
    projector: {
      resourceType: 'Organization',
      entity: Organisation,
      async render(_em, organisations) {
        return new Map(organisations.map((o) => [o, organisationToFhir(o)]));
      },
    },
    toInput: (resource) => fhirToOrganisation(resource),
    create: (em, input) => registerOrganisation(em, input),
    update: async (em, organisation, input, expectedVersion) => {
      await reviseOrganisation(em, organisation, input, expectedVersion);
    },
    remove: async (_em, organisation) => retireOrganisation(organisation),
  };
}
