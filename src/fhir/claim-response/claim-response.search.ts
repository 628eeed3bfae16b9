import type { SearchParamDefinition } from '../search/search-param.ts';
import { OPENIMIS_IDENTIFIER_TYPES } from '../shared/openimis.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** outcome as published (claim-response.mapper.ts): the claim status decides it. */
const OUTCOME_SQL =
  "(case t.status when 'checked' then 'queued' when 'entered' then 'queued' when 'processed' then 'partial' else 'complete' end)";

/** ClaimResponse search parameters over the claims (claim, alias t): the response has the claim's id. */
export function claimResponseSearchParams(): SearchParamDefinition[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description: "The facility's claim code, or the UUID",
      expression: 'ClaimResponse.identifier',
      definition: `${STANDARD}ClaimResponse-identifier`,
      token: [
        { system: OPENIMIS_IDENTIFIER_TYPES, matchesSystemless: true, column: 't.code' },
        { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
      ],
    },
    {
      code: 'request',
      type: 'reference',
      description: 'The claim adjudicated (Claim: the same id)',
      expression: 'ClaimResponse.request',
      definition: `${STANDARD}ClaimResponse-request`,
      columns: ['t.id'],
      targets: ['Claim'],
      includable: true,
    },
    {
      code: 'patient',
      type: 'reference',
      description: 'The insuree treated (Patient)',
      expression: 'ClaimResponse.patient',
      definition: `${STANDARD}ClaimResponse-patient`,
      columns: ['t.insuree_id'],
      targets: ['Patient'],
      includable: true,
    },
    {
      code: 'requestor',
      type: 'reference',
      description: 'The facility that claimed (Organization)',
      expression: 'ClaimResponse.requestor',
      definition: `${STANDARD}ClaimResponse-requestor`,
      columns: ['t.facility_id'],
      targets: ['Organization'],
    },
    {
      code: 'outcome',
      type: 'token',
      description: 'queued (waiting for review), partial (waiting for relative prices), complete',
      expression: 'ClaimResponse.outcome',
      definition: `${STANDARD}ClaimResponse-outcome`,
      token: [
        { system: 'http://hl7.org/fhir/remittance-outcome', matchesSystemless: true, column: OUTCOME_SQL },
      ],
    },
    {
      code: 'status',
      type: 'token',
      description: 'Always active',
      expression: 'ClaimResponse.status',
      definition: `${STANDARD}ClaimResponse-status`,
      token: [{ system: 'http://hl7.org/fhir/fm-status', matchesSystemless: true, column: "'active'" }],
    },
    {
      code: 'created',
      type: 'date',
      description: 'When the adjudication was last changed',
      expression: 'ClaimResponse.created',
      definition: `${STANDARD}ClaimResponse-created`,
      columns: ['t.updated_at'],
      dateKind: 'instant',
      sortColumn: 't.updated_at',
    },
  ];
}
