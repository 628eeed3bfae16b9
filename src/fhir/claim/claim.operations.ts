import type { ParametersParameter } from '@medplum/fhirtypes';
import type { LineReview } from '../../domain/claim/claim-input.ts';
import { reviewClaim } from '../../domain/claim/review-claim.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import type { Config } from '../../platform/config/config.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import {
  parameterPath,
  parametersNamed,
  stringParameter,
  withParameterPaths,
  type FhirOperation,
  assertNotFacilityBound,
  instanceIdOf,
} from '../core/operation.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import { create } from '../interactions/write.ts';
import { publishedBy } from '../store/projection.ts';
import { sqlClaimReads } from './claim-reads.sql.ts';

/**
 * POST Claim/$submit (financial module, Claim-submit): the Claim as the `resource` parameter, or as
 * the body itself; the same use case as POST Claim, answered with the ClaimResponse.
 */
export function claimSubmitOperation(claims: ResourceModule): FhirOperation {
  return {
    name: 'submit',
    definitionId: 'Claim-submit',
    resourceType: 'Claim',
    instance: false,
    methods: ['POST'],
    resourceBody: 'Claim',
    requires: { resourceType: 'Claim', permission: 'c' },
    produces: 'application/fhir+json',
    summary: 'Submit a claim for adjudication: answered with its ClaimResponse',
    description:
      'The Claim as the body, or in a Parameters as `resource`. The claim is entered, checked by the rules, ' +
      'valuated and picked for medical review or approved in one transaction; the answer is the ClaimResponse ' +
      '(201 with its Location; the same claim sent again answers 200 with the one stored; another claim with a ' +
      'code the facility already used is 409). Same as POST Claim.',
    async run(context, input) {
      const resource = parametersNamed(input.parameters, 'resource')[0]?.resource;
      if (!resource || resource.resourceType !== 'Claim') {
        throw new KingaError(
          'operation.parameter-invalid',
          { name: 'resource', detail: 'is required: the Claim to submit' },
          { expression: parameterPath('resource') },
        );
      }
      const result = await create(context, claims, {
        interaction: 'create',
        resourceType: 'Claim',
        body: resource,
      });
      return { kind: 'result', result };
    },
  };
}

/** A line decision: `line` with parts sequence, reject, quantity, unitPrice, justification. */
function lineReviewOf(line: ParametersParameter, index: number): LineReview {
  const part = (name: string) => line.part?.find((p) => p.name === name);
  const sequence = part('sequence')?.valuePositiveInt ?? part('sequence')?.valueInteger;
  if (sequence === undefined) {
    throw new KingaError(
      'operation.parameter-invalid',
      { name: 'line.sequence', detail: 'is required' },
      { expression: `${parameterPath('line')}[${index}].part.where(name='sequence')` },
    );
  }
  const price = part('unitPrice');
  const unitPrice = price?.valueMoney?.value ?? price?.valueDecimal;
  const quantity = part('quantity');
  return {
    sequence,
    ...(part('reject')?.valueBoolean !== undefined ? { reject: part('reject')!.valueBoolean! } : {}),
    ...(quantity ? { quantity: quantity.valueInteger ?? quantity.valueDecimal ?? Number.NaN } : {}),
    ...(unitPrice !== undefined ? { unitPrice: String(unitPrice) } : {}),
    ...(part('justification')?.valueString !== undefined
      ? { justification: part('justification')!.valueString! }
      : {}),
  };
}

/** The review's `lines.<i>` fields (review-claim.ts) → the i-th `line` parameter and its parts. */
function linePaths(count: number): Record<string, string> {
  const paths: Record<string, string> = { lines: parameterPath('line') };
  for (let index = 0; index < count; index++) {
    const line = `${parameterPath('line')}[${index}]`;
    paths[`lines.${index}`] = line;
    paths[`lines.${index}.quantity`] = `${line}.part.where(name='quantity')`;
    paths[`lines.${index}.unitPrice`] = `${line}.part.where(name='unitPrice')`;
  }
  return paths;
}

/**
 * POST Claim/[id]/$review: a medical officer's decisions on a claim selected for review (or any
 * claim not yet valuated). The claim is judged and valuated again with them and approved; the
 * answer is its new ClaimResponse, the previous one stays in the history.
 */
export function claimReviewOperation(config: Config): FhirOperation {
  return {
    name: 'review',
    definitionId: 'Claim-review',
    resourceType: 'Claim',
    instance: true,
    methods: ['POST'],
    requires: { resourceType: 'Claim', permission: 'u' },
    produces: 'application/fhir+json',
    summary: "A medical officer's review of a claim: lines rejected or re-priced, valuation rerun",
    description:
      'Parameters: justification (string, required) and any number of line (parts: sequence, reject, ' +
      'quantity, unitPrice, justification). A rejected line gets reason −1; a new quantity or unit price ' +
      'is valuated again through deductibles, co-insurance, caps and ceilings; the claim is then approved ' +
      '(valuated, or processed while relative prices are pending). Answers the new ClaimResponse. A claim ' +
      'already valuated or rejected cannot be reviewed (409). Facility-bound clients cannot review (403).',
    async run(context, input) {
      assertNotFacilityBound(context, 'review', 'Claim');
      const id = instanceIdOf(input, 'Claim');
      const justification = stringParameter(input.parameters, 'justification') ?? '';
      const lines = parametersNamed(input.parameters, 'line').map(lineReviewOf);
      const actor = { actor: context.principal.clientId, requestId: context.requestId };
      const resource = await inTransaction(context.em, actor, async (tx) => {
        const claim = await withParameterPaths(
          { justification: parameterPath('justification'), ...linePaths(lines.length) },
          () =>
            reviewClaim(
              tx,
              sqlClaimReads(tx),
              id,
              { lines, justification, reviewer: context.principal.clientId },
              { ageOfMajority: config.AGE_OF_MAJORITY },
            ),
        );
        await tx.flush();
        const payload = publishedBy(tx, 'ClaimResponse', claim.id);
        if (!payload) {
          throw new Error(`ClaimResponse/${claim.id} was reviewed but not published`);
        }
        return payload;
      });
      return { kind: 'result', result: { outcome: 'ok', resource } };
    },
  };
}
