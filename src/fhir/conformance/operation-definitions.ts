import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { OperationDefinition } from '@medplum/fhirtypes';

export const OPERATIONS_DIR = path.resolve(import.meta.dirname, '../../../fhir-profiles/operations');

let cache: Map<string, OperationDefinition> | undefined;

/** Kinga's OperationDefinitions, read once from fhir-profiles/operations. */
export function operationDefinitions(): Map<string, OperationDefinition> {
  if (!cache) {
    cache = new Map();
    for (const file of readdirSync(OPERATIONS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const definition = JSON.parse(
        readFileSync(path.join(OPERATIONS_DIR, file), 'utf8'),
      ) as OperationDefinition;
      if (definition.resourceType === 'OperationDefinition' && definition.id) {
        cache.set(definition.id, definition);
      }
    }
  }
  return cache;
}

export function operationDefinition(id: string): OperationDefinition | undefined {
  return operationDefinitions().get(id);
}
