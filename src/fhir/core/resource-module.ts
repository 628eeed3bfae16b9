import type { EntityManager } from '@mikro-orm/core';
import type { Resource } from '@medplum/fhirtypes';
import type { VersionedRecord } from '../../domain/shared/record.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Queryable } from '../../platform/database/queryable.ts';
import type { Sql } from '../../platform/database/sql.ts';
import type { WriteContext } from '../../platform/database/unit-of-work.ts';
import type { Projector } from '../store/projection.ts';
import type { FhirOperation } from './operation.ts';
import type { SearchParamDefinition, SearchTable } from '../search/search-param.ts';

/** What mappers need to know about the deployment. */
export interface MappingContext {
  config: Config;
  baseUrl: string;
  /** Who writes: the client, and the facility a facility-bound client acts for (set per request). */
  caller?: { clientId: string; facilityId?: string };
}

/** Reverse lookup for _include of a parameter whose relation is not a column of the source table. */
export type IncludeQuery = (sourceIds: string[]) => Sql;

/**
 * Everything the FHIR core needs to serve one resource type over one register. The interactions
 * (read, vread, history, create, update, delete, search, Bundles) are generic; a module supplies
 * the mapping, the use cases and the declared search parameters.
 */
export interface ResourceModule<
  E extends VersionedRecord = VersionedRecord,
  I = unknown,
  R extends Resource = Resource,
> {
  type: R['resourceType'];
  /** Canonical URL of Kinga's profile for this type (fhir-profiles/). */
  profile: string;
  /** The register entity (for loading a record to update or delete). */
  entity: abstract new (...args: never[]) => E;
  projector: Projector<E>;
  table: SearchTable;
  searchParams: SearchParamDefinition[];
  /** _include for reference parameters whose relation is not a column of this table. */
  includeQueries?: Record<string, IncludeQuery>;
  /** Domain field → FHIRPath, to name the element in errors raised by use cases. */
  fieldPaths: Record<string, string>;
  /**
   * The FHIRPath of a field `fieldPaths` cannot name because it carries a position in the input
   * (`coverage[2].limitAdult`, `requested.1`); undefined falls back to `fieldPaths`.
   */
  elementPathOf?(field: string, input: I): string | undefined;
  /**
   * The facility column (of `table`, aliased `t`) of a type whose records belong to one health
   * facility (claims): a facility-bound client reads, searches and follows history only of its own
   * facility's records; any other is not found to it.
   */
  facilityColumn?: string;
  /** Relations the use cases need loaded on the record. */
  populate?: string[];
  /**
   * The write side. A module leaves out what its type does not allow (a derived Coverage has none,
   * a diagnosis list is never deleted): the routes, the Bundle entries and the CapabilityStatement
   * then know it as not supported (405).
   */
  /** Why the write interactions the module leaves out are refused, and what to do instead. */
  writesRefused?: string;
  /**
   * A type whose create is a question (CoverageEligibilityRequest): the record created also
   * publishes this type under the same id, and the create answers it with 200 instead of 201.
   */
  answeredBy?: string;
  /**
   * With `answeredBy`: a new record answers 201 (a submission that creates something, a Claim),
   * and one the use case found already stored (the same submission again) answers 200.
   */
  answerCreates?: boolean;
  /** What the OpenAPI document says of such a create: its answers and errors. */
  createDescription?: string;
  // Method syntax on purpose: methods are bivariant in their parameters, so a module of one
  // resource type still fits the registry's ResourceModule of any type.
  toInput?(resource: R, context: MappingContext): I;
  create?(em: EntityManager, input: I, context: MappingContext): Promise<E>;
  /**
   * A create with no unit of work, in place of `create`, for a record written once and never
   * changed on a hot path (an eligibility enquiry: every visit asks). It builds the record
   * unpersisted in `em` and inserts and publishes it in one statement on `db` (the pool, or a
   * transaction Bundle's connection) with `FhirProjection.insertPublished`.
   */
  createAtOnce?(
    db: Queryable,
    em: EntityManager,
    input: I,
    context: MappingContext,
    write: WriteContext,
  ): Promise<E>;
  update?(
    em: EntityManager,
    record: E,
    input: I,
    expectedVersion: number | undefined,
    context: MappingContext,
  ): Promise<void>;
  remove?(em: EntityManager, record: E): Promise<void>;
}

/** The type-level and instance-level interactions a module serves (http.html). */
export type ResourceInteraction =
  'read' | 'vread' | 'history-instance' | 'search-type' | 'create' | 'update' | 'delete';

export function interactionsOf(module: ResourceModule): ResourceInteraction[] {
  const interactions: ResourceInteraction[] = ['read', 'vread', 'history-instance', 'search-type'];
  if (module.toInput && (module.create || module.createAtOnce)) {
    interactions.push('create');
  }
  if (module.toInput && module.update) {
    interactions.push('update');
  }
  if (module.remove) {
    interactions.push('delete');
  }
  return interactions;
}

/** The module's reason for refusing a write, as a clause for the error message. */
export function becauseOf(module: ResourceModule): string {
  return module.writesRefused === undefined ? '' : `: ${module.writesRefused}`;
}

export class FhirRegistry {
  readonly #modules = new Map<string, ResourceModule>();
  readonly #operations: FhirOperation[] = [];

  register(module: ResourceModule): void {
    this.#modules.set(module.type, module);
  }

  registerOperation(operation: FhirOperation): void {
    this.#operations.push(operation);
  }

  /** The operations, system-level first, then by type and name. */
  get operations(): FhirOperation[] {
    return [...this.#operations].sort((a, b) =>
      `${a.resourceType ?? ''}$${a.name}`.localeCompare(`${b.resourceType ?? ''}$${b.name}`),
    );
  }

  get(type: string): ResourceModule | undefined {
    return this.#modules.get(type);
  }

  get types(): string[] {
    return [...this.#modules.keys()].sort();
  }

  get modules(): ResourceModule[] {
    return this.types.map((t) => this.#modules.get(t)!);
  }
}
