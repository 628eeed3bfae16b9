import type { CoverageEligibilityRequest } from '@medplum/fhirtypes';
import {
  answerEligibilityEnquiry,
  type EnquiryInput,
} from '../../domain/eligibility/answer-eligibility-enquiry.ts';
import { EligibilityEnquiry } from '../../domain/eligibility/eligibility-enquiry.entity.ts';
import { todayIn } from '../../platform/jobs/scheme-today.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import { ELIGIBILITY_REQUEST_PROFILE } from '../coverage-eligibility-response/eligibility.terms.ts';
import { schemeInsurerOnce } from '../shared/scheme-insurer.ts';
import { projectionOf, type Publication } from '../store/projection.ts';
import type { Queryable } from '../../platform/database/queryable.ts';
import { StatementBatcher } from '../../platform/database/statement-batcher.ts';
import {
  eligibilityRequestFieldPaths,
  enquiryToRequest,
  requestToEnquiry,
} from './coverage-eligibility-request.mapper.ts';
import { eligibilityRequestSearchParams } from './coverage-eligibility-request.search.ts';
import { sqlEligibilityReads } from './eligibility-reads.sql.ts';
import { enquiriesInsertSql } from './enquiry-insert.sql.ts';

/** Inserts enquiries and publishes them in one statement, its own transaction or a Bundle's. */
function keep(db: Queryable, publications: Publication[], ownTransaction: boolean): Promise<void> {
  const enquiries = publications.flatMap((p) => p.records as EligibilityEnquiry[]);
  const insert = enquiriesInsertSql(enquiries, { ownTransaction });
  return projectionOf(publications[0]!.em).insertPublished(db, publications, insert);
}

/** One batcher per pool (StatementBatcher): enquiries answered together are kept together. */
const batchers = new WeakMap<Queryable, StatementBatcher<Publication>>();
function batcherOf(db: Queryable): StatementBatcher<Publication> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new StatementBatcher((publications) => keep(db, publications, true));
    batchers.set(db, batcher);
  }
  return batcher;
}

/**
 * CoverageEligibilityRequest ⇄ eligibility enquiry. POST asks: the enquiry is answered and kept,
 * and the answer (the CoverageEligibilityResponse, same id) is what the POST returns, with 200.
 * A facility-bound client asks as its facility. An enquiry is never changed or deleted.
 */
export function eligibilityRequestModule(
  mapping: MappingContext,
): ResourceModule<EligibilityEnquiry, EnquiryInput, CoverageEligibilityRequest> {
  const { config } = mapping;
  return {
    type: 'CoverageEligibilityRequest',
    writesRefused: 'an enquiry is kept as it was asked and answered: ask again with a new request',
    answeredBy: 'CoverageEligibilityResponse',
    createDescription:
      'A processed request is answered 200 with the CoverageEligibilityResponse, also when the patient is ' +
      'unknown (outcome error) or has no cover in force (outcome complete): error[] then carries the coded ' +
      'reason. A malformed request is a 400, and one that breaks the profile or names an unknown item or ' +
      'service a 422, with an OperationOutcome whose issue.expression names the element. A facility-bound ' +
      'client asking as another facility gets a 403.',
    profile: ELIGIBILITY_REQUEST_PROFILE,
    entity: EligibilityEnquiry,
    table: { table: 'eligibility_enquiry', live: 't.deleted_at is null' },
    searchParams: eligibilityRequestSearchParams(),
    fieldPaths: eligibilityRequestFieldPaths,
    // An unknown code names its request line (`requested.<index>`).
    elementPathOf: (field) => {
      const line = /^requested\.(\d+)$/.exec(field);
      return line ? `CoverageEligibilityRequest.item[${line[1]}].productOrService` : undefined;
    },
    projector: {
      resourceType: 'CoverageEligibilityRequest',
      entity: EligibilityEnquiry,
      async render(em, enquiries) {
        const insurer = enquiries.length > 0 ? await schemeInsurerOnce(em) : null;
        return new Map(enquiries.map((enquiry) => [enquiry, enquiryToRequest({ enquiry, insurer })]));
      },
    },
    toInput: (request, context) => requestToEnquiry(request, context),
    // The hottest path: every visit asks. One read, then one statement keeps the enquiry with its
    // request and response published (no transaction, no unit of work), shared with the enquiries
    // answered meanwhile; in a transaction Bundle, alone on the transaction's connection.
    async createAtOnce(db, em, input, context, write) {
      const enquiry = await answerEligibilityEnquiry(em, sqlEligibilityReads(em, db), input, {
        today: todayIn(config.SCHEME_TIME_ZONE),
        ageOfMajority: config.AGE_OF_MAJORITY,
        ...(context.caller ? { askedBy: context.caller.clientId } : {}),
        ...(context.caller?.facilityId ? { actingFacilityId: context.caller.facilityId } : {}),
      });
      const publication = { em, records: [enquiry], context: write };
      await (em.isInTransaction() ? keep(db, [publication], false) : batcherOf(db).submit(publication));
      return enquiry;
    },
  };
}
