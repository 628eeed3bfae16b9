import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes the indicator cube reads by (src/integrations/dhis2/cube): the period filters of its
 * sources (a claim's treatment end, receipt and valuation; a policy's enrolment; a premium's pay
 * day), the renewal of a policy (previous_id), and `updated_at` of every register its data
 * version reads (one step down each index). Hand-written: no entity declares them.
 */
const INDEXES: readonly [name: string, definition: string][] = [
  ['claim_treatment_end_index', `"claim" ((coalesce("date_to", "date_from")))`],
  ['claim_created_at_index', `"claim" ("created_at")`],
  ['claim_valuated_at_index', `"claim" ("valuated_at") where "valuated_at" is not null`],
  ['claim_updated_at_index', `"claim" ("updated_at")`],
  ['policy_enrol_date_index', `"policy" ("enrol_date")`],
  ['policy_previous_id_index', `"policy" ("previous_id") where "previous_id" is not null`],
  ['policy_updated_at_index', `"policy" ("updated_at")`],
  ['premium_pay_date_index', `"premium" ("pay_date")`],
  ['premium_updated_at_index', `"premium" ("updated_at")`],
  ['insuree_policy_updated_at_index', `"insuree_policy" ("updated_at")`],
  ['product_updated_at_index', `"product" ("updated_at")`],
  ['diagnosis_updated_at_index', `"diagnosis" ("updated_at")`],
];

export class Migration20261124013000_IndicatorIndexes extends Migration {
  override name = 'Migration20261124013000_IndicatorIndexes';

  override up(): void | Promise<void> {
    for (const [name, definition] of INDEXES) {
      this.addSql(`create index if not exists "${name}" on ${definition};`);
    }
  }

  override down(): void | Promise<void> {
    for (const [name] of INDEXES) {
      this.addSql(`drop index if exists "${name}";`);
    }
  }
}
