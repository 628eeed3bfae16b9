import type { Sql } from '../../platform/database/sql.ts';

export type SearchParamType = 'token' | 'string' | 'date' | 'reference' | 'number' | 'uri';

/** One system of a token parameter and the column holding its codes. */
export interface TokenTarget {
  /** Identifier.system / Coding.system this target answers to; undefined matches system-less queries. */
  system?: string;
  /** Accept a query without a system for this target. */
  matchesSystemless?: boolean;
  column: string;
  /** Maps FHIR codes to stored values (e.g. male → M); unmapped codes match nothing. */
  codes?: Record<string, string>;
  /** Normalises the value before comparison (e.g. strips urn:uuid:). */
  transform?: (value: string) => string | undefined;
  columnType?: 'text' | 'uuid';
}

/**
 * A search parameter a resource supports, declared once: the CapabilityStatement, the parser and
 * the SQL all read this. Columns are qualified with the search table's alias `t`.
 */
export interface SearchParamDefinition {
  code: string;
  type: SearchParamType;
  description: string;
  /** FHIRPath of the element searched (documentation and CapabilityStatement). */
  expression: string;
  /** Canonical URL of the SearchParameter this implements. */
  definition?: string;
  /** string: the column(s) searched (any matches); date: the column; reference: the uuid column. */
  columns?: string[];
  /** date: whether the column holds a calendar date or an instant. */
  dateKind?: 'date' | 'instant';
  token?: TokenTarget[];
  /** reference: the resource types it may point to. */
  targets?: string[];
  /**
   * reference: custom predicate when the relation is not a column of `t` (e.g. Group.member).
   * Receives the referenced ids; returns a predicate on `t`.
   */
  referencePredicate?: (ids: string[]) => Sql;
  /** Column (expression on `t`) to sort by, when the parameter is sortable. */
  sortColumn?: string;
  /** Whether _include/_revinclude may follow this reference parameter. */
  includable?: boolean;
}

/** The domain table a resource type is searched in. */
export interface SearchTable {
  /** Table name, aliased `t` in every query. */
  table: string;
  /** Predicate that hides retired records. */
  live: string;
}

const STANDARD = 'http://hl7.org/fhir/SearchParameter/';

/** Parameters every resource supports (FHIR search.html#all). */
export function commonSearchParams(): SearchParamDefinition[] {
  return [
    {
      code: '_id',
      type: 'token',
      description: 'Logical id of the resource',
      expression: 'Resource.id',
      definition: `${STANDARD}Resource-id`,
      token: [{ column: 't.id', matchesSystemless: true, columnType: 'uuid' }],
      sortColumn: 't.id',
    },
    {
      code: '_lastUpdated',
      type: 'date',
      description: 'When the resource version last changed',
      expression: 'Resource.meta.lastUpdated',
      definition: `${STANDARD}Resource-lastUpdated`,
      columns: ['t.updated_at'],
      dateKind: 'instant',
      sortColumn: 't.updated_at',
    },
  ];
}
