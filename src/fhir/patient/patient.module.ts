import type { Patient } from '@medplum/fhirtypes';
import { Insuree } from '../../domain/insuree/insuree.entity.ts';
import type { InsureeInput } from '../../domain/insuree/insuree-input.ts';
import type { InsuranceNumberRules } from '../../domain/insuree/insurance-number.ts';
import { registerInsuree } from '../../domain/insuree/register-insuree.ts';
import { retireInsuree } from '../../domain/insuree/retire-insuree.ts';
import { reviseInsuree } from '../../domain/insuree/revise-insuree.ts';
import type { Config } from '../../platform/config/config.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import { insureeToPatient, PATIENT_PROFILE, patientFieldPaths, patientToInsuree } from './patient.mapper.ts';
import { patientSearchParams } from './patient.search.ts';

export function insuranceNumberRules(config: Config): InsuranceNumberRules {
  return {
    ...(config.INSURANCE_NUMBER_LENGTH === undefined ? {} : { length: config.INSURANCE_NUMBER_LENGTH }),
    checkDigit: config.INSURANCE_NUMBER_CHECK_DIGIT,
    modulo: config.INSURANCE_NUMBER_MODULO,
    requireAllocation: config.INSURANCE_NUMBER_REQUIRE_ALLOCATION,
  };
}

/** Patient ⇄ insuree register. */
export function patientModule(
  config: Config,
  mapping: MappingContext,
): ResourceModule<Insuree, InsureeInput, Patient> {
  const rules = insuranceNumberRules(config);
  return {
    type: 'Patient',
    profile: PATIENT_PROFILE,
    entity: Insuree,
    table: { table: 'insuree', live: 't.deleted_at is null' },
    searchParams: patientSearchParams(config),
    fieldPaths: patientFieldPaths,
    populate: ['family', 'photo'],
    projector: {
      resourceType: 'Patient',
      entity: Insuree,
      async render(em, insurees) {
        // The photo is lazy: load it for records that were changed without it being read.
        if (insurees.length > 0) {
          await em.populate(insurees, ['photo'] as never[]);
        }
        return new Map(insurees.map((i) => [i, insureeToPatient(i, mapping)]));
      },
    },
    toInput: (patient, context) => patientToInsuree(patient, context),
    create: (em, input) => registerInsuree(em, input, rules),
    update: async (em, insuree, input, expectedVersion) => {
      await reviseInsuree(em, insuree, input, expectedVersion);
    },
    remove: (em, insuree) => retireInsuree(em, insuree),
  };
}
