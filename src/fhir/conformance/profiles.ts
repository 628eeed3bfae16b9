import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { StructureDefinition } from '@medplum/fhirtypes';

export const PROFILES_DIR = path.resolve(import.meta.dirname, '../../../fhir-profiles/structure-definitions');
export const KINGA_CANONICAL = 'https://kinga.health/fhir';

let cache: Map<string, StructureDefinition> | undefined;

/** Kinga's StructureDefinitions (profiles and extensions), read once from fhir-profiles/. */
export function structureDefinitions(): Map<string, StructureDefinition> {
  if (!cache) {
    cache = new Map();
    for (const file of readdirSync(PROFILES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const definition = JSON.parse(
        readFileSync(path.join(PROFILES_DIR, file), 'utf8'),
      ) as StructureDefinition;
      if (definition.resourceType === 'StructureDefinition' && definition.id) {
        cache.set(definition.id, definition);
      }
    }
  }
  return cache;
}

export function structureDefinition(id: string): StructureDefinition | undefined {
  return structureDefinitions().get(id);
}

export function structureDefinitionByUrl(url: string): StructureDefinition | undefined {
  for (const definition of structureDefinitions().values()) {
    if (definition.url === url) {
      return definition;
    }
  }
  return undefined;
}
