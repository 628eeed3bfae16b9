import { ageBands, Categories, type CategoryCode } from '../../domain/indicator/catalogue.ts';
import { rejectionDisplays, RejectionReasons } from '../../domain/claim/rejection-reasons.ts';
import type { Queryable } from '../../platform/database/queryable.ts';
import { raw, sql } from '../../platform/database/sql.ts';

/** An option of a disaggregation as the cube writes it in a stratum (raw code) and its name. */
export interface CategoryOption {
  code: string;
  name: string;
}

export type CategoryOptions = Record<CategoryCode, readonly CategoryOption[]>;

/** The register whose codes are a category's options. */
const registerTables: Partial<Record<CategoryCode, string>> = {
  PRODUCT: 'product',
  ICD: 'diagnosis',
  SERVICE: 'medical_service',
};

/**
 * Every category's options, read now: fixed ones from the catalogue, age bands from the setting,
 * register codes from their registers. A retired code stays an option: DHIS2 keeps the values
 * reported under it, and removing an option from a category would orphan them.
 */
export async function categoryOptions(db: Queryable, ageBounds: readonly number[]): Promise<CategoryOptions> {
  const result = {} as Record<CategoryCode, readonly CategoryOption[]>;
  for (const category of Object.keys(Categories) as CategoryCode[]) {
    const options = Categories[category].options;
    if (options === 'age') {
      result[category] = ageBands(ageBounds).map((band) => ({ code: band.code, name: `${band.name} years` }));
    } else if (category === 'REJECTION_REASON') {
      result[category] = rejectionReasonOptions();
    } else if (options === 'register') {
      result[category] = await registerOptions(db, registerTables[category]!);
    } else {
      result[category] = options;
    }
  }
  return result;
}

/** The reasons a claim line is rejected for (openIMIS's numbers, as text); "accepted" is none. */
function rejectionReasonOptions(): CategoryOption[] {
  return Object.entries(rejectionDisplays)
    .filter(([code]) => Number(code) !== RejectionReasons.accepted)
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => Number(a.code) - Number(b.code));
}

/** Each code once, named as its live record (else its latest retired one), in code order. */
async function registerOptions(db: Queryable, table: string): Promise<CategoryOption[]> {
  return db.query<CategoryOption>(sql`
    select distinct on (code) code, name from ${raw(table)}
     order by code, (deleted_at is null) desc, updated_at desc`);
}
