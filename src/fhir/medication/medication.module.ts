import type { Medication } from '@medplum/fhirtypes';
import { MedicalItem } from '../../domain/medical/medical-item.entity.ts';
import type { MedicalItemInput } from '../../domain/medical/medical-item-input.ts';
import { registerMedicalItem } from '../../domain/medical/register-medical-item.ts';
import { retireMedicalItem } from '../../domain/medical/retire-medical-item.ts';
import { reviseMedicalItem } from '../../domain/medical/revise-medical-item.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import {
  itemToMedication,
  MEDICATION_PROFILE,
  medicationFieldPaths,
  medicationToItem,
} from './medication.mapper.ts';
import { medicationSearchParams } from './medication.search.ts';

/** Medication ⇄ medical item register (drugs and consumables). */
export function medicationModule(): ResourceModule<MedicalItem, MedicalItemInput, Medication> {
  return {
    type: 'Medication',
    profile: MEDICATION_PROFILE,
    entity: MedicalItem,
    table: { table: 'medical_item', live: 't.deleted_at is null' },
    searchParams: medicationSearchParams,
    fieldPaths: medicationFieldPaths,
    projector: {
      resourceType: 'Medication',
      entity: MedicalItem,
      async render(_em, items) {
        return new Map(items.map((item) => [item, itemToMedication(item)]));
      },
    },
    toInput: (medication) => medicationToItem(medication),
    create: (em, input) => registerMedicalItem(em, input),
    update: async (em, item, input, expectedVersion) => {
      await reviseMedicalItem(em, item, input, expectedVersion);
    },
    remove: (em, item) => retireMedicalItem(em, item),
  };
}
