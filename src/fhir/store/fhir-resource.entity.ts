import { defineEntity, p } from '@mikro-orm/core';

/**
 * The published FHIR form of every register record, current version only. Domain tables stay the
 * truth; this row is rewritten in the same transaction as the record, so reads and searches serve
 * the stored JSON text as-is (kept as text: jsonb would reorder keys, and parsing costs CPU).
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
  },
});

/** Every version ever published, with who wrote it; never updated or deleted. */
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
  indexes: [{ properties: ['resourceType', 'lastUpdated'] }],
});
