import type { SearchParamDefinition } from '../search/search-param.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** CoverageEligibilityRequest search parameters over the enquiries (eligibility_enquiry, alias t). */
export function eligibilityRequestSearchParams(): SearchParamDefinition[] {
  return [
    {
      code: 'patient',
      type: 'reference',
      description: 'The insuree asked about (Patient); enquiries about an unknown patient match none',
      expression: 'CoverageEligibilityRequest.patient',
      definition: `${STANDARD}CoverageEligibilityRequest-patient`,
      columns: ['t.insuree_id'],
      targets: ['Patient'],
      includable: true,
    },
    {
      code: 'created',
      type: 'date',
      description: 'When the asking system created the request',
      expression: 'CoverageEligibilityRequest.created',
      definition: `${STANDARD}CoverageEligibilityRequest-created`,
      columns: ['t.requested_at'],
      dateKind: 'instant',
      sortColumn: 't.requested_at',
    },
    {
      code: 'provider',
      type: 'reference',
      description: 'The facility that asked (Organization)',
      expression: 'CoverageEligibilityRequest.provider',
      definition: `${STANDARD}CoverageEligibilityRequest-provider`,
      columns: ['t.facility_id'],
      targets: ['Organization'],
    },
  ];
}
