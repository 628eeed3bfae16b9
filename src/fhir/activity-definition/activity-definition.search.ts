import type { SearchParamDefinition } from '../search/search-param.ts';
import { SERVICE_CODE_SYSTEM } from '../shared/medical-values.ts';
import { KINGA } from '../shared/openimis.ts';
import { ActivityDefinitionExtensions, ServiceCodeSystems } from './activity-definition.mapper.ts';

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** ActivityDefinition search parameters over the medical service register (alias t). */
export const activityDefinitionSearchParams: SearchParamDefinition[] = [
  {
    code: 'identifier',
    type: 'token',
    description: 'Service code (system optional), or its UUID',
    expression: 'ActivityDefinition.identifier',
    definition: `${STANDARD}ActivityDefinition-identifier`,
    token: [
      { system: SERVICE_CODE_SYSTEM, matchesSystemless: true, column: 't.code' },
      { matchesSystemless: true, column: 't.id', columnType: 'uuid' },
    ],
    sortColumn: 't.code',
  },
  {
    code: 'name',
    type: 'string',
    description: 'Machine name, which is the service code (as openIMIS): starts with, ignoring case',
    expression: 'ActivityDefinition.name',
    definition: `${STANDARD}ActivityDefinition-name`,
    columns: ['t.code'],
    sortColumn: 't.code',
  },
  {
    code: 'title',
    type: 'string',
    description: 'Service name: starts with, ignoring case and accents',
    expression: 'ActivityDefinition.title',
    definition: `${STANDARD}ActivityDefinition-title`,
    columns: ['t.name'],
    sortColumn: 't.name',
  },
  {
    code: 'status',
    type: 'token',
    description: 'active (retired services are not found)',
    expression: 'ActivityDefinition.status',
    definition: `${STANDARD}ActivityDefinition-status`,
    token: [
      { system: 'http://hl7.org/fhir/publication-status', matchesSystemless: true, column: "'active'" },
    ],
  },
  {
    code: 'topic',
    type: 'token',
    description: 'Service type: P preventive, C curative',
    expression: 'ActivityDefinition.topic',
    definition: `${STANDARD}ActivityDefinition-topic`,
    token: [{ system: ServiceCodeSystems.type, matchesSystemless: true, column: 't.type' }],
    sortColumn: 't.type',
  },
  {
    code: 'category',
    type: 'token',
    description:
      'Service category (useContext workflow): S surgery, D delivery, A antenatal, H hospitalization, C consultation, O other, V visit',
    expression: "ActivityDefinition.useContext.where(code.code='workflow').value",
    definition: `${KINGA}/SearchParameter/ActivityDefinition-category`,
    token: [
      { system: ServiceCodeSystems.category, matchesSystemless: true, column: 't.category' },
      { system: ServiceCodeSystems.workflow, column: 't.category' },
    ],
    sortColumn: 't.category',
  },
  {
    code: 'level',
    type: 'token',
    description: 'Service level: S simple, V visit, D day of stay, H hospital case',
    expression: `ActivityDefinition.extension('${ActivityDefinitionExtensions.level}').value`,
    definition: `${KINGA}/SearchParameter/ActivityDefinition-level`,
    token: [{ system: ServiceCodeSystems.level, matchesSystemless: true, column: 't.level' }],
    sortColumn: 't.level',
  },
];
