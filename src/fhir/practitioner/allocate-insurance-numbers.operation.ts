import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { Parameters } from '@medplum/fhirtypes';
import {
  allocateInsuranceNumbers,
  type NumberBlock,
} from '../../domain/insuree/allocate-insurance-numbers.ts';
import { Officer } from '../../domain/officer/officer.entity.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import type { Config } from '../../platform/config/config.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import {
  integerParameter,
  parameterPath,
  withParameterPaths,
  type FhirOperation,
} from '../core/operation.ts';
import { insuranceNumberRules } from '../patient/patient.module.ts';

/** Serialises block generation, so two blocks drawn at once cannot pick the same number (an arbitrary constant). */
const BLOCK_LOCK = 518_733_207;

/**
 * POST Practitioner/[id]/$allocate-insurance-numbers: a block of unused insurance numbers for
 * pre-printed cards, allocated to that enrolment officer. Each is accepted once at enrolment.
 */
export function allocateInsuranceNumbersOperation(config: Config): FhirOperation {
  const rules = insuranceNumberRules(config);
  return {
    name: 'allocate-insurance-numbers',
    definitionId: 'Practitioner-allocate-insurance-numbers',
    resourceType: 'Practitioner',
    instance: true,
    methods: ['POST'],
    requires: { resourceType: 'Practitioner', permission: 'u' },
    produces: 'application/fhir+json',
    summary: 'Allocate a block of insurance numbers for pre-printed cards to an enrolment officer',
    description:
      'Parameters: count (1 to 10 000). Answers a Parameters with the block id, the officer and one number ' +
      "(Identifier) per card: valid under the scheme's length and check-digit rules, used by no insuree and " +
      'by no earlier block. A number of a block is accepted at enrolment once.',
    async run(context, input) {
      const count = integerParameter(input.parameters, 'count');
      if (count === undefined) {
        throw new KingaError(
          'operation.parameter-invalid',
          { name: 'count', detail: 'is required' },
          { expression: parameterPath('count') },
        );
      }
      const actor = { actor: context.principal.clientId, requestId: context.requestId };
      const block = await inTransaction(context.em, actor, async (tx) => {
        await (tx as SqlEntityManager).execute('select pg_advisory_xact_lock(?)', [BLOCK_LOCK]);
        const id = input.id ?? '';
        const officer = isUuid(id) ? await tx.findOne(Officer, { id, deletedAt: null }) : null;
        if (!officer) {
          throw new KingaError('fhir.not-found', { type: 'Practitioner', id: input.id ?? '' });
        }
        return withParameterPaths({ count: parameterPath('count'), officer: 'Practitioner' }, async () => {
          const allocated = await allocateInsuranceNumbers(tx, officer, count, rules);
          await tx.flush();
          return allocated;
        });
      });
      return { kind: 'resource', resource: blockParameters(block, config) };
    },
  };
}

function blockParameters(block: NumberBlock, config: Config): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'block', valueId: block.blockId },
      { name: 'officer', valueReference: { reference: `Practitioner/${block.officer.id}` } },
      ...block.numbers.map((value) => ({
        name: 'number',
        valueIdentifier: { system: config.INSURANCE_NUMBER_SYSTEM, value },
      })),
    ],
  };
}
