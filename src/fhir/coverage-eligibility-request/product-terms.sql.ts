import type { ProductTerms } from '../../domain/eligibility/eligibility-reads.ts';
import { AmountGrids, AmountScopes, LimitedCategories } from '../../domain/product/product.entity.ts';
import type { Queryable } from '../../platform/database/queryable.ts';
import { raw, sql } from '../../platform/database/sql.ts';

/** Column prefix of each grid row (product.entity.ts `.prefix(...)`); scopes are snake_case. */
const gridPrefixes = {
  deductiblePerTreatment: 'ded_treatment_',
  deductiblePerInsuree: 'ded_insuree_',
  deductiblePerPolicy: 'ded_policy_',
  ceilingPerTreatment: 'max_treatment_',
  ceilingPerInsuree: 'max_insuree_',
  ceilingPerPolicy: 'max_policy_',
  ceilingPerExtraMember: 'max_policy_extra_member_',
  ceilingPolicyMaximum: 'max_ceiling_policy_',
} as const;
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** [grid, [scope, column]] and [limit key, column], worked out once. */
const gridColumns = AmountGrids.map((grid) => ({
  grid,
  scopes: AmountScopes.map((scope) => ({ scope, column: `${gridPrefixes[grid]}${snake(scope)}` })),
}));
const limitColumns: [key: string, column: string][] = LimitedCategories.flatMap((c) => [
  [`${c}Count`, `max_${c}_count`] as [string, string],
  ...(c === 'visit' ? [] : [[`${c}Amount`, `max_${c}_amount`] as [string, string]]),
]);

/**
 * The columns the terms are made of, named: not `pr.*`, because a prepared statement keeps its
 * result's shape, and a column added to product by a migration while a server runs would fail
 * every read ("cached plan must not change result type"). Fewer bytes too (71 columns).
 */
const termColumns = raw(
  ['id', 'code', 'name', 'threshold', 'ceiling_interpretation']
    .concat(limitColumns.map(([, column]) => column))
    .concat(gridColumns.flatMap(({ scopes }) => scopes.map(({ column }) => column)))
    .map((column) => `pr."${column}"`)
    .join(', '),
);

type Row = Record<string, unknown>;

/** A product row's terms; numeric comes as a string ("12.50", as the ORM gives it), integers as numbers. */
function productTerms(row: Row): ProductTerms {
  const terms = {
    id: row['id'],
    code: row['code'],
    name: row['name'],
    threshold: row['threshold'] ?? null,
    ceilingInterpretation: row['ceiling_interpretation'] ?? 'I',
    categoryLimits: Object.freeze(
      Object.fromEntries(limitColumns.map(([key, column]) => [key, row[column] ?? null])),
    ),
    ...Object.fromEntries(
      gridColumns.map(({ grid, scopes }) => [
        grid,
        Object.freeze(Object.fromEntries(scopes.map(({ scope, column }) => [scope, row[column] ?? null]))),
      ]),
    ),
  };
  return Object.freeze(terms) as unknown as ProductTerms;
}

/** Which stored version of a product row: a changed row is a new tuple, with its own (xmin, ctid). */
export interface ProductVersion {
  id: string;
  tuple: string;
}

/** The identity of `pr`'s stored tuple: the same text names a ProductVersion in both queries. */
const tupleOfPr = raw(`pr.xmin::text || ':' || pr.ctid::text`);

/** SQL selecting `pr`'s ProductVersion columns, as product_id and product_tuple. */
export const productVersionColumns = sql`pr.id as product_id, ${tupleOfPr} as product_tuple`;

const MAX_KEPT = 1_000;

/**
 * Product terms kept by row version. A product has 71 columns, and every enquiry and claim line
 * reads the terms of the patient's products; the cover rows now carry only the product's id and
 * tuple identity (xmin, ctid), and the terms are read once per version of the row. Any change,
 * by the API or by SQL, makes a new tuple, so a kept entry is never stale (an update within the
 * same transaction too: each gets its own ctid). The terms are frozen: every request shares them.
 */
export class ProductTermsCache {
  readonly #kept = new Map<string, ProductTerms>();

  /** The terms of these versions, reading on `db` those not kept yet. */
  async termsOf(db: Queryable, versions: readonly ProductVersion[]): Promise<Map<string, ProductTerms>> {
    const found = new Map<string, ProductTerms>();
    const missing: string[] = [];
    for (const { id, tuple } of versions) {
      const kept = this.#kept.get(`${id}/${tuple}`);
      if (kept) {
        found.set(id, kept);
      } else if (!missing.includes(id)) {
        missing.push(id);
      }
    }
    if (missing.length > 0) {
      const rows = await db.query<Row & { tuple: string }>(
        sql`select ${termColumns}, ${tupleOfPr} as tuple
              from product pr where pr.id = any(${missing}::uuid[])`.prepared(),
      );
      for (const row of rows) {
        const terms = productTerms(row);
        // The row read now may be newer than the version asked for: it is kept under its own.
        if (this.#kept.size >= MAX_KEPT) {
          this.#kept.delete(this.#kept.keys().next().value!);
        }
        this.#kept.set(`${row['id'] as string}/${row.tuple}`, terms);
        found.set(row['id'] as string, terms);
      }
    }
    for (const { id } of versions) {
      if (!found.has(id)) {
        // A cover's product is only ever soft-deleted; the row read with the cover is there.
        throw new Error(`Product ${id} of a cover was not found`);
      }
    }
    return found;
  }
}
