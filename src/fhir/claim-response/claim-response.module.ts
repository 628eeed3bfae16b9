import type { ClaimResponse } from '@medplum/fhirtypes';
import { Claim } from '../../domain/claim/claim.entity.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import { loadForPublishing } from '../claim/claim.module.ts';
import { CLAIM_RESPONSE_PROFILE } from '../claim/claim.terms.ts';
import { schemeInsurerOnce } from '../shared/scheme-insurer.ts';
import { claimToResponse } from './claim-response.mapper.ts';
import { claimResponseSearchParams } from './claim-response.search.ts';

/**
 * ClaimResponse ← claim, read-only: the adjudication is published with its claim, under the
 * claim's id, and moves with it (review, relative pricing): each change is a new version and the
 * earlier ones stay in its history. Never written directly (openIMIS's PUT ClaimResponse bypasses
 * every rule, openimis.md §3.4).
 */
export function claimResponseModule(mapping: MappingContext): ResourceModule<Claim, never, ClaimResponse> {
  const { config } = mapping;
  return {
    type: 'ClaimResponse',
    writesRefused:
      'a ClaimResponse is the adjudication of a claim: submit the Claim, or review it with Claim/{id}/$review',
    profile: CLAIM_RESPONSE_PROFILE,
    entity: Claim,
    table: { table: 'claim', live: 't.deleted_at is null' },
    facilityColumn: 't.facility_id',
    searchParams: claimResponseSearchParams(),
    fieldPaths: {},
    projector: {
      resourceType: 'ClaimResponse',
      entity: Claim,
      async render(em, claims) {
        await loadForPublishing(em, claims);
        const insurer = claims.length > 0 ? await schemeInsurerOnce(em) : null;
        return new Map(claims.map((claim) => [claim, claimToResponse({ claim, insurer, config })]));
      },
    },
  };
}
