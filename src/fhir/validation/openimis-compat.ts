import type { Resource } from '@medplum/fhirtypes';
import { OPENIMIS_IG, openImisCodeSystem } from '../shared/openimis.ts';

/**
 * Makes a resource as openIMIS (openimis-be-api_fhir_r4_py, 2024-10) actually sends it acceptable
 * R4, on a copy. Each rule is limited to the elements where the quirk occurs.
 *
 * | openIMIS sends                                     | Kinga makes of it                  | Source                      |
 * |----------------------------------------------------|------------------------------------|-----------------------------|
 * | `…_ig//StructureDefinition/organization-hf-level`, | `…_ig/StructureDefinition/…`, in   | healthFacilityOrganisation- |
 * | `…_ig//CodeSystem/location-type` (base URL ends in | every extension url (nested and    | Converter, organization- &  |
 * | `/` and code adds another)                         | `_x` too) and Coding.system        | locationMapping; §3.2       |
 * | `CodeSystem/patient-profession` (relative system)  | `${OPENIMIS_IG}/CodeSystem/<id>`   | patient-, groupConverter,   |
 * |                                                    |                                    | LEGAL_FORM_SYSTEM           |
 * | Group `"actual": "True"`                           | `true` (BOOLEAN_ELEMENTS and       | test_group.json             |
 * |                                                    | extension valueBoolean only)       | (group-example-1.json)      |
 * | Group `"type": "Person"`                           | `person`                           | groupConverter.build_fhir_  |
 * |                                                    |                                    | type ("always 'Person'")    |
 * | Organization.type `{"coding": [{"code": "prov"}]}` | system terminology.hl7.org/        | healthFacilityOrganisation- |
 * | (no system)                                        | CodeSystem/organization-type       | Converter.build_fhir_type   |
 * | maritalStatus system `http://hl7.org/fhir/         | `http://terminology.hl7.org/       | R4MaritalConfig,            |
 * | valueset-marital-status.html` (a web page)         | CodeSystem/v3-MaritalStatus`       | patient-example-1.json      |
 * | Patient.photo `"contentType": "png"` (file suffix) | `image/png`                        | patientConverter.build_     |
 * |                                                    |                                    | fhir_photo                  |
 * | ActivityDefinition `"date": "2020-01-01T18:50:00"` | `2020-01-01` (a time needs a zone; | activityDefinitionConverter |
 * | (a time without a zone)                            | the date is what openIMIS meant)   | (activity-definition-ex. 1) |
 * | InsurancePlan `"period": {"start":                 | `2017-01-01` (product dates are    | test_insurance_plan.json    |
 * | "2017-01-01T00:00:00"}` (a time without a zone)    | dates: openIMIS str_to_date)       | (insurance-plan-example-1)  |
 * | Contract `"status": "Offered"` (capitalised:       | `offered` (the R4 code it spells)  | contractMapping, test_      |
 * | Offered, Policy, Terminated, Disputed)             |                                    | contract.json (contract-ex.)|
 * | PaymentNotice `"created": "2022-05-17T10:58:46.8"` | `2022-05-17`                       | test_payment_notice.json    |
 * | (a time without a zone)                            |                                    | (payment-notice-example-1)  |
 * | Claim without `insurance` (1..* in R4; openIMIS    | one focal entry naming no coverage | test_claim.json (claim-     |
 * | ignores it: the rule engine picks the policy)      | (the engine still picks the policy)| example-1), §3.4            |
 *
 * Relative code system ids: openIMIS sends `patient-identification-type` and `group-type`
 * (singular). The IG publishes those (2022, openIMIS Initiative) and older plural CodeSystems
 * (`…-types`, 2021; the plural identification one even declares a malformed canonical). Every
 * relative id therefore maps to the IG CodeSystem of the same id; Kinga's ValueSets accept both.
 */
export function normaliseOpenImis<R extends Resource>(resource: R): R {
  const copy = structuredClone(resource);
  normaliseNode(copy);
  return copy;
}

/** Elements of type boolean that openIMIS may send as "True"/"False", per resource type. */
const BOOLEAN_ELEMENTS: Record<string, readonly string[]> = {
  Group: ['actual', 'active'],
  Patient: ['active', 'deceasedBoolean', 'multipleBirthBoolean'],
  Organization: ['active'],
};

/** A dateTime with a time but no zone, which R4 does not allow: the date is kept. */
const ZONELESS_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const CONTRACT_STATUSES = [
  'amended',
  'appended',
  'cancelled',
  'disputed',
  'entered-in-error',
  'executable',
  'executed',
  'negotiable',
  'offered',
  'policy',
  'rejected',
  'renewed',
  'resolved',
  'revoked',
  'terminated',
];
const GROUP_TYPES = ['person', 'animal', 'practitioner', 'device', 'medication', 'substance'];
const ORGANIZATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/organization-type';
const ORGANIZATION_TYPES = [
  'prov',
  'dept',
  'team',
  'govt',
  'ins',
  'pay',
  'edu',
  'reli',
  'crs',
  'cg',
  'bus',
  'other',
];
const OPENIMIS_MARITAL_PAGE = 'http://hl7.org/fhir/valueset-marital-status.html';
const V3_MARITAL_STATUS = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';
const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  webp: 'image/webp',
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks every object once; resources (top level, contained, Bundle entries) get their type's rules. */
function normaliseNode(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(normaliseNode);
    return;
  }
  if (!isObject(node)) {
    return;
  }
  if (typeof node['resourceType'] === 'string') {
    normaliseResource(node, node['resourceType']);
  }
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(value)) {
      value.filter(isObject).forEach(normaliseExtension);
    } else if (key === 'coding' && Array.isArray(value)) {
      value.filter(isObject).forEach(normaliseCoding);
    } else if (key === 'valueCoding' && isObject(value)) {
      normaliseCoding(value);
    }
    normaliseNode(value);
  }
}

function normaliseResource(resource: Json, type: string): void {
  for (const name of BOOLEAN_ELEMENTS[type] ?? []) {
    const value = toBoolean(resource[name]);
    if (value !== undefined) {
      resource[name] = value;
    }
  }
  if (type === 'Group' && typeof resource['type'] === 'string') {
    const lower = resource['type'].toLowerCase();
    if (GROUP_TYPES.includes(lower)) {
      resource['type'] = lower;
    }
  }
  if (type === 'Organization' && Array.isArray(resource['type'])) {
    for (const concept of resource['type'].filter(isObject)) {
      const codings = Array.isArray(concept['coding']) ? concept['coding'].filter(isObject) : [];
      for (const coding of codings) {
        if (coding['system'] === undefined && ORGANIZATION_TYPES.includes(String(coding['code']))) {
          coding['system'] = ORGANIZATION_TYPE_SYSTEM;
        }
      }
    }
  }
  if (type === 'ActivityDefinition' && typeof resource['date'] === 'string') {
    const zoneless = ZONELESS_TIME.exec(resource['date']);
    if (zoneless) {
      resource['date'] = zoneless[1];
    }
  }
  if (type === 'InsurancePlan' && isObject(resource['period'])) {
    const period = resource['period'];
    for (const end of ['start', 'end']) {
      const zoneless = typeof period[end] === 'string' ? ZONELESS_TIME.exec(period[end]) : null;
      if (zoneless) {
        period[end] = zoneless[1];
      }
    }
  }
  if (type === 'Contract' && typeof resource['status'] === 'string') {
    const lower = resource['status'].toLowerCase();
    if (CONTRACT_STATUSES.includes(lower)) {
      resource['status'] = lower;
    }
  }
  if (type === 'PaymentNotice' && typeof resource['created'] === 'string') {
    const zoneless = ZONELESS_TIME.exec(resource['created']);
    if (zoneless) {
      resource['created'] = zoneless[1];
    }
  }
  if (type === 'Claim' && resource['insurance'] === undefined) {
    resource['insurance'] = [
      { sequence: 1, focal: true, coverage: { display: "Chosen by the scheme from the patient's policies" } },
    ];
  }
  if (type === 'Patient' && Array.isArray(resource['photo'])) {
    for (const photo of resource['photo'].filter(isObject)) {
      const mime = IMAGE_TYPES[String(photo['contentType']).toLowerCase()];
      if (mime) {
        photo['contentType'] = mime;
      }
    }
  }
}

function normaliseExtension(extension: Json): void {
  if (typeof extension['url'] === 'string') {
    extension['url'] = collapseIgSlashes(extension['url']);
  }
  const value = toBoolean(extension['valueBoolean']);
  if (value !== undefined) {
    extension['valueBoolean'] = value;
  }
}

function normaliseCoding(coding: Json): void {
  const system = coding['system'];
  if (typeof system !== 'string') {
    return;
  }
  if (system === OPENIMIS_MARITAL_PAGE) {
    coding['system'] = V3_MARITAL_STATUS;
    return;
  }
  const relative = /^CodeSystem\/([A-Za-z0-9.-]+)$/.exec(system);
  coding['system'] = relative ? openImisCodeSystem(relative[1]!) : collapseIgSlashes(system);
}

const IG_WITH_SLASHES = /^https:\/\/openimis\.github\.io\/+openimis_fhir_r4_ig\/+(.*)$/;

/** `…/openimis_fhir_r4_ig//StructureDefinition/x` → `…/openimis_fhir_r4_ig/StructureDefinition/x`. */
function collapseIgSlashes(url: string): string {
  const match = IG_WITH_SLASHES.exec(url);
  if (!match) {
    return url;
  }
  return `${OPENIMIS_IG}/${match[1]!.replace(/\/{2,}/g, '/')}`;
}

/** A string "true"/"false" in any case → the boolean; anything else → undefined (left alone). */
function toBoolean(value: unknown): boolean | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const lower = value.toLowerCase();
  if (lower === 'true') {
    return true;
  }
  if (lower === 'false') {
    return false;
  }
  return undefined;
}
