import type { SearchParamDefinition } from '../search/search-param.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/**
 * CoverageEligibilityResponse search parameters. A response shares its enquiry's row
 * (eligibility_enquiry, alias t) and id with the request it answers.
 */
export function eligibilityResponseSearchParams(): SearchParamDefinition[] {
  return [
    {
      code: 'patient',
      type: 'reference',
      description: 'The insuree the answer is about (Patient)',
      expression: 'CoverageEligibilityResponse.patient',
      definition: `${STANDARD}CoverageEligibilityResponse-patient`,
      columns: ['t.insuree_id'],
      targets: ['Patient'],
      includable: true,
    },
    {
      code: 'created',
      type: 'date',
      description: 'When the answer was given',
      expression: 'CoverageEligibilityResponse.created',
      definition: `${STANDARD}CoverageEligibilityResponse-created`,
      columns: ['t.created_at'],
      dateKind: 'instant',
      sortColumn: 't.created_at',
    },
    {
      code: 'request',
      type: 'reference',
      description: 'The CoverageEligibilityRequest answered',
      expression: 'CoverageEligibilityResponse.request',
      definition: `${STANDARD}CoverageEligibilityResponse-request`,
      columns: ['t.id'],
      targets: ['CoverageEligibilityRequest'],
      includable: true,
    },
    {
      code: 'outcome',
      type: 'token',
      description: 'complete, or error when the patient is not known',
      expression: 'CoverageEligibilityResponse.outcome',
      definition: `${STANDARD}CoverageEligibilityResponse-outcome`,
      token: [
        {
          system: 'http://hl7.org/fhir/remittance-outcome',
          matchesSystemless: true,
          column: "case when t.insuree_id is null then 'error' else 'complete' end",
        },
      ],
    },
    {
      code: 'requestor',
      type: 'reference',
      description: 'The facility that asked (Organization)',
      expression: 'CoverageEligibilityResponse.requestor',
      definition: `${STANDARD}CoverageEligibilityResponse-requestor`,
      columns: ['t.facility_id'],
      targets: ['Organization'],
    },
  ];
}
