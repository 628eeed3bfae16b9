import type { Claim as FhirClaim } from '@medplum/fhirtypes';
import type { EntityManager } from '@mikro-orm/core';
import { Claim } from '../../domain/claim/claim.entity.ts';
import type { ClaimInput } from '../../domain/claim/claim-input.ts';
import { submitClaim } from '../../domain/claim/submit-claim.ts';
import type { Config } from '../../platform/config/config.ts';
import { todayIn } from '../../platform/jobs/scheme-today.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import { schemeInsurerOnce } from '../shared/scheme-insurer.ts';
import { sqlClaimReads } from './claim-reads.sql.ts';
import { claimElementPath, claimFieldPaths, claimToInput } from './claim-input.mapper.ts';
import { claimToFhir } from './claim.mapper.ts';
import { claimSearchParams } from './claim.search.ts';
import { CLAIM_PROFILE } from './claim.terms.ts';

/** The scheme's review rules, from its configuration. */
export function reviewRulesOf(config: Config) {
  return {
    samplePercent: config.CLAIM_REVIEW_SAMPLE_PERCENT,
    ...(config.CLAIM_REVIEW_AMOUNT_ABOVE ? { amountAbove: config.CLAIM_REVIEW_AMOUNT_ABOVE } : {}),
    rareServiceLines: config.CLAIM_REVIEW_RARE_SERVICE_LINES,
    visitsPer30Days: config.CLAIM_REVIEW_VISITS_PER_30_DAYS,
  };
}

/** Loads what a claim's published forms show (a claim just submitted has all of it already). */
export async function loadForPublishing(em: EntityManager, claims: Claim[]): Promise<void> {
  await em.populate(claims, ['lines', 'mainDiagnosis']);
}

/**
 * Claim ⇄ claims. POST (and Claim/$submit) enters and adjudicates a claim and answers with its
 * ClaimResponse (201, Location of the ClaimResponse; the same claim sent again: 200 with the one
 * stored). A claim is never updated or deleted through FHIR: a medical officer reviews it
 * (Claim/{id}/$review). A facility-bound client sees only its facility's claims.
 */
export function claimModule(mapping: MappingContext): ResourceModule<Claim, ClaimInput, FhirClaim> {
  const { config } = mapping;
  return {
    type: 'Claim',
    writesRefused: 'a claim is kept as submitted: a medical officer reviews it with Claim/{id}/$review',
    answeredBy: 'ClaimResponse',
    answerCreates: true,
    createDescription:
      'The claim is checked by the rules, valuated and picked for review or approved in one transaction: 201 ' +
      'with the ClaimResponse and its Location. The same claim sent again answers 200 with the one stored; ' +
      'another claim with a code the facility already used is 409. A malformed claim is a 400, one naming an ' +
      'unknown patient, item, service or diagnosis a 422, with an OperationOutcome whose issue.expression ' +
      'names the element. A facility-bound client claiming for another facility gets a 403.',
    profile: CLAIM_PROFILE,
    entity: Claim,
    table: { table: 'claim', live: 't.deleted_at is null' },
    facilityColumn: 't.facility_id',
    searchParams: claimSearchParams(),
    fieldPaths: claimFieldPaths,
    elementPathOf: (field) => claimElementPath(field),
    projector: {
      resourceType: 'Claim',
      entity: Claim,
      async render(em, claims) {
        await loadForPublishing(em, claims);
        const insurer = claims.length > 0 ? await schemeInsurerOnce(em) : null;
        return new Map(claims.map((claim) => [claim, claimToFhir({ claim, insurer, config })]));
      },
    },
    toInput: (claim, context) => claimToInput(claim, context),
    create(em, input, context) {
      return submitClaim(em, sqlClaimReads(em), input, {
        today: todayIn(config.SCHEME_TIME_ZONE),
        ageOfMajority: config.AGE_OF_MAJORITY,
        review: reviewRulesOf(config),
        ...(context.caller ? { submittedBy: context.caller.clientId } : {}),
        ...(context.caller?.facilityId ? { actingFacilityId: context.caller.facilityId } : {}),
      });
    },
  };
}
