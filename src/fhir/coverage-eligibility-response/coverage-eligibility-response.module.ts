import type { CoverageEligibilityResponse } from '@medplum/fhirtypes';
import { EligibilityEnquiry } from '../../domain/eligibility/eligibility-enquiry.entity.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import { schemeInsurerOnce } from '../shared/scheme-insurer.ts';
import { enquiryToResponse } from './coverage-eligibility-response.mapper.ts';
import { eligibilityResponseSearchParams } from './coverage-eligibility-response.search.ts';
import { ELIGIBILITY_RESPONSE_PROFILE } from './eligibility.terms.ts';

/**
 * CoverageEligibilityResponse ← eligibility enquiry, read-only: the answer is published with its
 * enquiry, under the request's id, and is what POST CoverageEligibilityRequest returns.
 */
export function eligibilityResponseModule(
  mapping: MappingContext,
): ResourceModule<EligibilityEnquiry, never, CoverageEligibilityResponse> {
  return {
    type: 'CoverageEligibilityResponse',
    writesRefused: 'a response is the answer to a request: POST a CoverageEligibilityRequest',
    profile: ELIGIBILITY_RESPONSE_PROFILE,
    entity: EligibilityEnquiry,
    table: { table: 'eligibility_enquiry', live: 't.deleted_at is null' },
    searchParams: eligibilityResponseSearchParams(),
    fieldPaths: {},
    projector: {
      resourceType: 'CoverageEligibilityResponse',
      entity: EligibilityEnquiry,
      async render(em, enquiries) {
        const insurer = enquiries.length > 0 ? await schemeInsurerOnce(em) : null;
        return new Map(
          enquiries.map((enquiry) => [enquiry, enquiryToResponse({ enquiry, insurer }, mapping)]),
        );
      },
    },
  };
}
