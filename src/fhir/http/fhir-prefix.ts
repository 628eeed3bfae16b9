export const FHIR_PREFIX = '/fhir/R4';
