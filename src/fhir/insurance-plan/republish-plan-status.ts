import type { EntityManager } from '@mikro-orm/core';
import { Product } from '../../domain/product/product.entity.ts';
import type { IsoDate } from '../../domain/shared/dates.ts';
import { touch } from '../../domain/shared/record.ts';
import { emQueryable } from '../../platform/database/queryable.ts';
import { sql } from '../../platform/database/sql.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';

/**
 * An InsurancePlan's status follows the calendar (draft → active → retired), but its published
 * form is written when the product is. Run daily, just after midnight in SCHEME_TIME_ZONE, with
 * that day as `today`: every live product whose published status is no longer today's is
 * republished as a new version. Returns the ids republished.
 */
export async function republishPlanStatuses(em: EntityManager, today: IsoDate): Promise<string[]> {
  return inTransaction(em.fork(), { actor: 'kinga:plan-status' }, async (tx) => {
    const rows = await emQueryable(tx).query<{ id: string }>(sql`
      select p.id from product p join fhir_resource r on r.resource_type = 'InsurancePlan' and r.id = p.id
      where p.deleted_at is null
        and (r.content::jsonb ->> 'status') is distinct from (case
          when ${today}::date < p.date_from then 'draft'
          when ${today}::date > p.date_to then 'retired'
          else 'active' end)
      for update of p`);
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      for (const product of await tx.find(Product, { id: { $in: ids } })) {
        touch(product);
      }
    }
    return ids;
  });
}
