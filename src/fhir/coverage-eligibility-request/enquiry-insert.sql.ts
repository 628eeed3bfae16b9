import type { EligibilityEnquiry } from '../../domain/eligibility/eligibility-enquiry.entity.ts';
import { commitWithoutWaitingForDisk } from '../../platform/database/relaxed-commit.ts';
import { sql, type Sql } from '../../platform/database/sql.ts';

/**
 * The enquiry's row, as the ORM would insert it (eligibility-enquiry.entity.ts: json columns as
 * JSON text), for `FhirProjection.insertPublished` to run with its published forms. The statement
 * commits without waiting for disk (relaxed-commit.ts): an enquiry lost in a crash is asked again,
 * and one statement is never half-kept. Same text for every enquiry, so it stays prepared.
 */
export function enquiryInsertSql(enquiry: EligibilityEnquiry): Sql {
  const json = (value: unknown) => JSON.stringify(value);
  return sql`
    insert into eligibility_enquiry (id, version, created_at, updated_at, insuree_id, patient_given,
      request_created, requested_at, serviced_date, purposes, facility_id, requested,
      client_identifiers, assessment, asked_by)
    select ${enquiry.id}::uuid, ${enquiry.version}::int, ${enquiry.createdAt.toISOString()}::timestamptz,
           ${enquiry.updatedAt.toISOString()}::timestamptz, ${enquiry.insuree?.id ?? null}::uuid,
           ${enquiry.patientGiven}::text, ${enquiry.requestCreated}::text,
           ${enquiry.requestedAt.toISOString()}::timestamptz, ${enquiry.servicedDate}::date,
           ${json(enquiry.purposes)}::jsonb, ${enquiry.facility?.id ?? null}::uuid,
           ${json(enquiry.requested)}::jsonb, ${json(enquiry.clientIdentifiers)}::jsonb,
           ${json(enquiry.assessment)}::jsonb, ${enquiry.askedBy ?? null}::text
      from (select ${commitWithoutWaitingForDisk}) relaxed`;
}
