import { defineEntity, p } from '@mikro-orm/core';

/**
 * The published FHIR form of every register record, current version only, with who wrote it.
 * Domain tables stay the truth; this row is rewritten in the same transaction as the record, so
 * reads and searches serve the stored JSON text as-is (kept as text: jsonb would reorder keys, and
 * parsing costs CPU).
 */
export const FhirResourceSchema = defineEntity({
  name: 'FhirResource',
  tableName: 'fhir_resource',
  properties: {
    resourceType: p.string().length(64).primary(),
    id: p.uuid().primary(),
    versionId: p.integer(),
    lastUpdated: p.datetime(),
    deleted: p.boolean(),
    content: p.text().nullable(),
    actor: p.string().length(100).nullable(),
    requestId: p.string().length(100).nullable(),
  },
});

/**
 * Every version a later one has replaced, as it was, with who wrote it; never updated or deleted.
 * The current version lives only in fhir_resource: most records (enquiries, claims and their
 * answers, seeded registers) are written once, and a second copy of each would double the writes
 * on the busiest paths. History and vread read both tables (resource-store.ts).
 */
export const FhirResourceVersionSchema = defineEntity({
  name: 'FhirResourceVersion',
  tableName: 'fhir_resource_version',
  properties: {
    resourceType: p.string().length(64).primary(),
    id: p.uuid().primary(),
    versionId: p.integer().primary(),
    lastUpdated: p.datetime(),
    deleted: p.boolean(),
    content: p.text().nullable(),
    actor: p.string().length(100).nullable(),
    requestId: p.string().length(100).nullable(),
  },
});
