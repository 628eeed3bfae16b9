import type { EntityManager } from '@mikro-orm/core';
import { mapToDhis2 } from '../indicator/org-unit-mapping.ts';
import { findLiveLocation } from '../location/location.repository.ts';
import { findLivePriceList } from '../medical/price-list.repository.ts';
import { Organisation } from './organisation.entity.ts';
import type { OrganisationInput } from './organisation-input.ts';
import { findLiveOrganisation } from './organisation.repository.ts';

/** Registers a health facility (contracted provider) or the insurer. */
export async function registerOrganisation(
  em: EntityManager,
  input: OrganisationInput,
): Promise<Organisation> {
  const organisation = em.create(Organisation, {
    ...(input.id ? { id: input.id } : {}),
    kind: input.kind,
    code: input.code,
    name: input.name,
  });
  await applyOrganisationInput(em, organisation, input);
  return organisation;
}

/** Copies the caller's facts onto the record and checks the facility rules. */
export async function applyOrganisationInput(
  em: EntityManager,
  organisation: Organisation,
  input: OrganisationInput,
): Promise<void> {
  organisation.kind = input.kind;
  organisation.code = input.code;
  organisation.name = input.name;
  organisation.status = input.status ?? organisation.status ?? 'active';
  organisation.level = input.level ?? null;
  organisation.careType = input.careType ?? null;
  organisation.legalForm = input.legalForm ?? null;
  organisation.location = input.locationId ? await findLiveLocation(em, input.locationId, 'location') : null;
  organisation.parent = input.parentId ? await findLiveOrganisation(em, input.parentId, 'parent') : null;
  organisation.addressText = input.addressText ?? null;
  organisation.city = input.city ?? null;
  organisation.district = input.district ?? null;
  organisation.state = input.state ?? null;
  organisation.phone = input.phone ?? null;
  organisation.fax = input.fax ?? null;
  organisation.email = input.email ?? null;
  organisation.contractStart = input.contractStart ?? null;
  organisation.contractEnd = input.contractEnd ?? null;
  organisation.itemsPriceList = input.itemsPriceListId
    ? await findLivePriceList(em, input.itemsPriceListId, 'items', 'itemsPriceList')
    : null;
  organisation.servicesPriceList = input.servicesPriceListId
    ? await findLivePriceList(em, input.servicesPriceListId, 'services', 'servicesPriceList')
    : null;
  organisation.assertConsistent();
  await mapToDhis2(em, organisation, input);
}
