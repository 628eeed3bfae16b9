import type { EligibilityEnquiry } from '../../domain/eligibility/eligibility-enquiry.entity.ts';
import { commitWithoutWaitingForDisk } from '../../platform/database/relaxed-commit.ts';
import { sql, type Sql } from '../../platform/database/sql.ts';

/**
 * The enquiries' rows, as the ORM would insert them (eligibility-enquiry.entity.ts), for
 * `FhirProjection.insertPublished` to run with their published forms. Rows travel as one JSON
 * array read by json_populate_recordset, which maps keys to the table's columns (its json columns
 * take the nested values as they are), so the text is the same for 1 enquiry or 50 and stays
 * prepared. `ownTransaction`: the statement is its own transaction, which then commits without
 * waiting for disk (relaxed-commit.ts): an enquiry lost in a crash is asked again, and one
 * statement is never half-kept. Inside a transaction Bundle it is not: SET LOCAL would relax the
 * commit of the whole Bundle, claims and payments in it included.
 */
export function enquiriesInsertSql(
  enquiries: readonly EligibilityEnquiry[],
  { ownTransaction }: { ownTransaction: boolean },
): Sql {
  const rows = enquiries.map((e) => ({
    id: e.id,
    version: e.version,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    insuree_id: e.insuree?.id ?? null,
    patient_given: e.patientGiven,
    request_created: e.requestCreated,
    requested_at: e.requestedAt,
    serviced_date: e.servicedDate,
    purposes: e.purposes,
    facility_id: e.facility?.id ?? null,
    requested: e.requested,
    client_identifiers: e.clientIdentifiers,
    assessment: e.assessment,
    asked_by: e.askedBy ?? null,
  }));
  return sql`
    insert into eligibility_enquiry (id, version, created_at, updated_at, insuree_id, patient_given,
      request_created, requested_at, serviced_date, purposes, facility_id, requested,
      client_identifiers, assessment, asked_by)
    select id, version, created_at, updated_at, insuree_id, patient_given, request_created,
           requested_at, serviced_date, purposes, facility_id, requested, client_identifiers,
           assessment, asked_by
      from json_populate_recordset(null::eligibility_enquiry, ${JSON.stringify(rows)}::json)
     ${ownTransaction ? sql`cross join (select ${commitWithoutWaitingForDisk}) relaxed` : sql``}`;
}
