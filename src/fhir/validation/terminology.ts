import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';

export const TERMINOLOGY_DIR = path.resolve(import.meta.dirname, '../../../fhir-profiles/terminology');

/** The codes a ValueSet allows: system → code → display. */
export interface AllowedCodes {
  title: string;
  systems: ReadonlyMap<string, ReadonlyMap<string, string | undefined>>;
}

let expansions: Map<string, AllowedCodes> | undefined;

/** The codes of a ValueSet of fhir-profiles/terminology, expanded once; undefined when unknown. */
export function allowedCodes(valueSetUrl: string): AllowedCodes | undefined {
  expansions ??= expandAll();
  return expansions.get(valueSetUrl.split('|')[0]!);
}

/** Every ValueSet of the folder, each include resolved from its concept list or a local CodeSystem. */
function expandAll(): Map<string, AllowedCodes> {
  const resources = readdirSync(TERMINOLOGY_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(TERMINOLOGY_DIR, f), 'utf8')) as CodeSystem | ValueSet);
  const codeSystems = new Map(
    resources.filter((r): r is CodeSystem => r.resourceType === 'CodeSystem').map((r) => [r.url!, r]),
  );
  const result = new Map<string, AllowedCodes>();
  for (const valueSet of resources.filter((r): r is ValueSet => r.resourceType === 'ValueSet')) {
    const systems = new Map<string, Map<string, string | undefined>>();
    for (const include of valueSet.compose?.include ?? []) {
      const system = include.system!;
      const concepts = include.concept ?? flatten(codeSystems.get(system)?.concept);
      if (concepts.length === 0) {
        throw new Error(
          `ValueSet ${valueSet.url} includes ${system}, which has no codes in ${TERMINOLOGY_DIR}`,
        );
      }
      const codes = systems.get(system) ?? new Map<string, string | undefined>();
      for (const concept of concepts) {
        codes.set(concept.code, concept.display);
      }
      systems.set(system, codes);
    }
    result.set(valueSet.url!, { title: valueSet.title ?? valueSet.name ?? valueSet.url!, systems });
  }
  return result;
}

function flatten(concepts: CodeSystemConcept[] | undefined): CodeSystemConcept[] {
  return (concepts ?? []).flatMap((c) => [c, ...flatten(c.concept)]);
}

/** "R (Region), D (District)" — the allowed codes as a clerk reads them. */
export function describeCodes(codes: AllowedCodes): string {
  const seen = new Map<string, string | undefined>();
  for (const system of codes.systems.values()) {
    for (const [code, display] of system) {
      if (!seen.has(code)) {
        seen.set(code, display);
      }
    }
  }
  return [...seen].map(([code, display]) => (display ? `${code} (${display})` : code)).join(', ');
}
