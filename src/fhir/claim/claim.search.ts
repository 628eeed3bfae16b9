import type { SearchParamDefinition } from '../search/search-param.ts';
import { OPENIMIS_IDENTIFIER_TYPES } from '../shared/openimis.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** FHIR claim status (fm-status) is always active; the adjudication state is the ClaimResponse's. */
const STATUS_SYSTEM = 'http://hl7.org/fhir/fm-status';

/** Claim search parameters over the claims (claim, alias t). */
export function claimSearchParams(): SearchParamDefinition[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description: "The facility's claim code, or the claim's UUID",
      expression: 'Claim.identifier',
      definition: `${STANDARD}Claim-identifier`,
      token: [
        { system: OPENIMIS_IDENTIFIER_TYPES, matchesSystemless: true, column: 't.code' },
        { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
      ],
      sortColumn: 't.code',
    },
    {
      code: 'patient',
      type: 'reference',
      description: 'The insuree treated (Patient)',
      expression: 'Claim.patient',
      definition: `${STANDARD}Claim-patient`,
      columns: ['t.insuree_id'],
      targets: ['Patient'],
      includable: true,
    },
    {
      code: 'provider',
      type: 'reference',
      description: 'The facility that claims (Organization)',
      expression: 'Claim.provider',
      definition: `${STANDARD}Claim-provider`,
      columns: ['t.facility_id'],
      targets: ['Organization'],
    },
    {
      code: 'created',
      type: 'date',
      description: 'The claim date',
      expression: 'Claim.created',
      definition: `${STANDARD}Claim-created`,
      columns: ['t.date_claimed'],
      sortColumn: 't.date_claimed',
    },
    {
      code: 'status',
      type: 'token',
      description: 'Always active: a claim is never cancelled here (its adjudication is the ClaimResponse)',
      expression: 'Claim.status',
      definition: `${STANDARD}Claim-status`,
      token: [{ system: STATUS_SYSTEM, matchesSystemless: true, column: "'active'" }],
    },
  ];
}
