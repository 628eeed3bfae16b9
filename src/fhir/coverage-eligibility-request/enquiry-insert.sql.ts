import type { EligibilityEnquiry } from '../../domain/eligibility/eligibility-enquiry.entity.ts';
import { commitWithoutWaitingForDisk } from '../../platform/database/relaxed-commit.ts';
import { sql, type Sql } from '../../platform/database/sql.ts';

/**
 * The enquiries' rows, as the ORM would insert them (eligibility-enquiry.entity.ts: json columns
 * as JSON text), for `FhirProjection.insertPublished` to run with their published forms. Rows
 * travel as arrays (unnest), so the text is the same for 1 enquiry or 50 and stays prepared.
 * `ownTransaction`: the statement is its own transaction, which then commits without waiting for
 * disk (relaxed-commit.ts): an enquiry lost in a crash is asked again, and one statement is never
 * half-kept. Inside a transaction Bundle it is not: SET LOCAL would relax the commit of the whole
 * Bundle, claims and payments in it included.
 */
export function enquiriesInsertSql(
  enquiries: readonly EligibilityEnquiry[],
  { ownTransaction }: { ownTransaction: boolean },
): Sql {
  const column = <T>(value: (enquiry: EligibilityEnquiry) => T) => enquiries.map(value);
  const json = (value: (enquiry: EligibilityEnquiry) => unknown) => column((e) => JSON.stringify(value(e)));
  return sql`
    insert into eligibility_enquiry (id, version, created_at, updated_at, insuree_id, patient_given,
      request_created, requested_at, serviced_date, purposes, facility_id, requested,
      client_identifiers, assessment, asked_by)
    select id, version, created_at, updated_at, insuree_id, patient_given, request_created,
           requested_at, serviced_date, purposes::jsonb, facility_id, requested::jsonb,
           client_identifiers::jsonb, assessment::jsonb, asked_by
      from unnest(
             ${column((e) => e.id)}::uuid[], ${column((e) => e.version)}::int[],
             ${column((e) => e.createdAt.toISOString())}::timestamptz[],
             ${column((e) => e.updatedAt.toISOString())}::timestamptz[],
             ${column((e) => e.insuree?.id ?? null)}::uuid[], ${column((e) => e.patientGiven)}::text[],
             ${column((e) => e.requestCreated)}::text[],
             ${column((e) => e.requestedAt.toISOString())}::timestamptz[],
             ${column((e) => e.servicedDate)}::date[], ${json((e) => e.purposes)}::text[],
             ${column((e) => e.facility?.id ?? null)}::uuid[], ${json((e) => e.requested)}::text[],
             ${json((e) => e.clientIdentifiers)}::text[], ${json((e) => e.assessment)}::text[],
             ${column((e) => e.askedBy ?? null)}::text[]
           ) as r(id, version, created_at, updated_at, insuree_id, patient_given, request_created,
                  requested_at, serviced_date, purposes, facility_id, requested, client_identifiers,
                  assessment, asked_by)
     ${ownTransaction ? sql`cross join (select ${commitWithoutWaitingForDisk}) relaxed` : sql``}`;
}
