/** openIMIS FHIR R4 IG canonical URLs (openimis.github.io/openimis_fhir_r4_ig), which Kinga keeps for compatibility. */
export const OPENIMIS_IG = 'https://openimis.github.io/openimis_fhir_r4_ig';

export const openImisExtension = (name: string): string => `${OPENIMIS_IG}/StructureDefinition/${name}`;
export const openImisCodeSystem = (name: string): string => `${OPENIMIS_IG}/CodeSystem/${name}`;

export const OPENIMIS_IDENTIFIER_TYPES = openImisCodeSystem('openimis-identifiers');

/** Extensions of Address shared by Patient, Group and Organization. */
export const AddressExtensions = {
  municipality: openImisExtension('address-municipality'),
  locationReference: openImisExtension('address-location-reference'),
} as const;

export const KINGA = 'https://kinga.health/fhir';
export const kingaProfile = (name: string): string => `${KINGA}/StructureDefinition/${name}`;
export const kingaExtension = (name: string): string => `${KINGA}/StructureDefinition/${name}`;
export const kingaCodeSystem = (name: string): string => `${KINGA}/CodeSystem/${name}`;

/** FHIRPath selecting an extension of `base` by URL, for error expressions. */
export function extensionPath(base: string, url: string): string {
  return `${base}.extension('${url}')`;
}
