import type { SearchParamDefinition } from '../search/search-param.ts';
import { ITEM_CODE_SYSTEM } from '../shared/medical-values.ts';
import { KINGA } from '../shared/openimis.ts';
import { ItemTypeSystem, MedicationExtensions } from './medication.mapper.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** Medication search parameters over the medical item register (alias t). */
export const medicationSearchParams: SearchParamDefinition[] = [
  {
    code: 'identifier',
    type: 'token',
    description: 'Item code (system optional), or its UUID',
    expression: 'Medication.identifier',
    definition: `${STANDARD}Medication-identifier`,
    token: [
      { system: ITEM_CODE_SYSTEM, matchesSystemless: true, column: 't.code' },
      { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
    ],
    sortColumn: 't.code',
  },
  {
    code: 'name',
    type: 'string',
    description: 'Item name (Medication.code.text): starts with, ignoring case and accents',
    expression: 'Medication.code.text',
    definition: `${KINGA}/SearchParameter/Medication-name`,
    columns: ['t.name'],
    sortColumn: 't.name',
  },
  {
    code: 'status',
    type: 'token',
    description: 'active (retired items are not found)',
    expression: 'Medication.status',
    definition: `${STANDARD}Medication-status`,
    token: [
      {
        system: 'http://hl7.org/fhir/CodeSystem/medication-status',
        matchesSystemless: true,
        column: "'active'",
      },
    ],
  },
  {
    code: 'type',
    type: 'token',
    description: 'D drug or M medical consumable',
    expression: `Medication.extension('${MedicationExtensions.type}').value`,
    definition: `${KINGA}/SearchParameter/Medication-type`,
    token: [{ system: ItemTypeSystem, matchesSystemless: true, column: 't.type' }],
    sortColumn: 't.type',
  },
];
