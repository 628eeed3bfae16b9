import type { EntityManager } from '@mikro-orm/core';
import type { ActivityDefinition } from '@medplum/fhirtypes';
import { MedicalItem } from '../../domain/medical/medical-item.entity.ts';
import { MedicalService } from '../../domain/medical/medical-service.entity.ts';
import type { MedicalServiceInput } from '../../domain/medical/medical-service-input.ts';
import { registerMedicalService } from '../../domain/medical/register-medical-service.ts';
import { retireMedicalService } from '../../domain/medical/retire-medical-service.ts';
import { reviseMedicalService } from '../../domain/medical/revise-medical-service.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import {
  ACTIVITY_DEFINITION_PROFILE,
  activityDefinitionFieldPaths,
  activityDefinitionToService,
  serviceToActivityDefinition,
  type ComponentLookup,
} from './activity-definition.mapper.ts';
import { activityDefinitionSearchParams } from './activity-definition.search.ts';

/** ActivityDefinition ⇄ medical service register (services and packages). */
export function activityDefinitionModule(): ResourceModule<
  MedicalService,
  MedicalServiceInput,
  ActivityDefinition
> {
  return {
    type: 'ActivityDefinition',
    profile: ACTIVITY_DEFINITION_PROFILE,
    entity: MedicalService,
    table: { table: 'medical_service', live: 't.deleted_at is null' },
    searchParams: activityDefinitionSearchParams,
    fieldPaths: activityDefinitionFieldPaths,
    projector: {
      resourceType: 'ActivityDefinition',
      entity: MedicalService,
      async render(em, services) {
        const lookup = await componentLookup(em, services);
        return new Map(services.map((s) => [s, serviceToActivityDefinition(s, lookup)]));
      },
    },
    toInput: (resource) => activityDefinitionToService(resource),
    create: (em, input) => registerMedicalService(em, input),
    update: async (em, service, input, expectedVersion) => {
      await reviseMedicalService(em, service, input, expectedVersion);
    },
    remove: (em, service) => retireMedicalService(em, service),
  };
}

/** The live records packages name by code, read in two queries for all packages being published. */
async function componentLookup(em: EntityManager, services: MedicalService[]): Promise<ComponentLookup> {
  const components = services.flatMap((s) => s.packageComponents ?? []);
  const codes = (kind: 'item' | 'service') => components.filter((c) => c.kind === kind).map((c) => c.code);
  const items = codes('item').length
    ? await em.find(MedicalItem, { code: { $in: codes('item') }, deletedAt: null })
    : [];
  const subServices = codes('service').length
    ? await em.find(MedicalService, { code: { $in: codes('service') }, deletedAt: null })
    : [];
  const byCode = {
    item: new Map(items.map((r) => [r.code, { id: r.id, name: r.name }])),
    service: new Map(subServices.map((r) => [r.code, { id: r.id, name: r.name }])),
  };
  return (kind, code) => byCode[kind].get(code);
}
