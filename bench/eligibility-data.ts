import { openDatabase } from '../src/app.ts';
import { recordUsage, type TreatmentUsage } from '../src/domain/eligibility/record-usage.ts';
import { addDays } from '../src/domain/policy/calendar.ts';
import type { Config } from '../src/platform/config/config.ts';
import { migrateUp } from '../src/platform/database/orm.ts';
import { inTransaction } from '../src/platform/database/unit-of-work.ts';
import { todayIn } from '../src/platform/jobs/scheme-today.ts';

/** An insuree in force today, with an item and a service their product covers. */
interface CoveredInsuree {
  insuree_id: string;
  policy_id: string;
  item_id: string;
  item_code: string;
  service_id: string;
  service_code: string;
  service_category: string;
  /** A health facility whose price lists list both the item and the service (null if none does). */
  facility_id: string | null;
}

export interface EligibilityData {
  /** CoverageEligibilityRequest bodies: 1 item + 1 service each, for random insurees. */
  bodies: string[];
  /** The same questions asked as a facility that lists both (as an EMR at a facility asks). */
  facilityBodies: string[];
  /** What the bodies ask about: insurees in force (with a year of usage) or, without policies, any. */
  note: string;
}

const ITEM_CATEGORY = 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/claim-item-category';
/** Treatments recorded per sampled insuree over the past year (once per bench database). */
const TREATMENTS_PER_INSUREE = 6;

function body(
  patientId: string,
  itemCode: string,
  serviceCode: string,
  today: string,
  facilityId?: string | null,
): string {
  return JSON.stringify({
    resourceType: 'CoverageEligibilityRequest',
    status: 'active',
    purpose: ['benefits', 'validation'],
    patient: { reference: `Patient/${patientId}` },
    ...(facilityId ? { provider: { reference: `Organization/${facilityId}` } } : {}),
    created: today,
    insurer: { display: 'The scheme' },
    item: [
      {
        category: { coding: [{ system: ITEM_CATEGORY, code: 'item' }] },
        productOrService: { text: itemCode },
      },
      {
        category: { coding: [{ system: ITEM_CATEGORY, code: 'service' }] },
        productOrService: { text: serviceCode },
      },
    ],
  });
}

/**
 * The eligibility scenario's requests: random insurees whose cover is in force today, each asking
 * about an item and a service of their product. The first run on a bench database gives each of
 * them a year of usage through recordUsage (the use case claim adjudication will call), so the
 * answers read real ledger rows. Without policies in the seed, random insurees are asked about
 * any item and service (answered "no cover"), so the scenario still runs; the note says which.
 */
export async function prepareEligibilityData(
  url: string,
  config: Config,
  patientIds: string[],
  sample = 2000,
): Promise<EligibilityData> {
  const database = await openDatabase(config, url);
  const today = todayIn(config.SCHEME_TIME_ZONE);
  try {
    await migrateUp(database.orm);
    const { rows } = await database.pool.query<CoveredInsuree>(
      `with covered as (
         select ip.insuree_id, ip.policy_id, p.product_id from insuree_policy ip
           join policy p on p.id = ip.policy_id
          where ip.deleted_at is null and p.status = 'active'
            and ip.effective_date <= $1::date and ip.expiry_date >= $1::date
          order by random() limit $2)
       select c.insuree_id, c.policy_id, i.id as item_id, i.code as item_code,
              s.id as service_id, s.code as service_code, s.category as service_category,
              hf.id as facility_id
         from covered c
         cross join lateral (select mi.id, mi.code from product_coverage pc
           join medical_item mi on mi.id = pc.item_id and mi.deleted_at is null
           where pc.product_id = c.product_id order by pc.id limit 1) i
         cross join lateral (select ms.id, ms.code, ms.category from product_coverage pc
           join medical_service ms on ms.id = pc.service_id and ms.deleted_at is null
           where pc.product_id = c.product_id order by pc.id limit 1) s
         left join lateral (select f.id from price_list_line a
           join organisation f on f.items_price_list_id = a.price_list_id
           join price_list_line b on b.price_list_id = f.services_price_list_id and b.service_id = s.id
           where a.item_id = i.id and f.kind = 'health-facility' and f.deleted_at is null
           order by f.id limit 1) hf on true`,
      [today, sample],
    );
    if (rows.length === 0) {
      const { rows: codes } = await database.pool.query<{ item: string | null; service: string | null }>(
        `select (select code from medical_item where deleted_at is null limit 1) as item,
                (select code from medical_service where deleted_at is null limit 1) as service`,
      );
      const { item, service } = codes[0]!;
      if (!item || !service) {
        throw new Error('The bench database has no medical items or services to ask about');
      }
      return {
        bodies: patientIds.map((id) => body(id, item, service, today)),
        facilityBodies: [],
        note: 'no policies in force in the seed: random insurees, answered "no cover"',
      };
    }
    await recordYearOfUsage(database, rows, today);
    const atFacility = rows.filter((r) => r.facility_id);
    return {
      bodies: rows.map((r) => body(r.insuree_id, r.item_code, r.service_code, today)),
      facilityBodies: atFacility.map((r) =>
        body(r.insuree_id, r.item_code, r.service_code, today, r.facility_id),
      ),
      note:
        `${rows.length} insurees in force today, each with a year of usage; ` +
        `${atFacility.length} of them asked about at a facility that lists both`,
    };
  } finally {
    await database.orm.close();
  }
}

async function recordYearOfUsage(
  database: Awaited<ReturnType<typeof openDatabase>>,
  insurees: CoveredInsuree[],
  today: string,
): Promise<void> {
  const { rows } = await database.pool.query<{ n: number }>(
    'select count(*)::int as n from usage_entry where insuree_id = any($1::uuid[])',
    [insurees.map((i) => i.insuree_id)],
  );
  if (rows[0]!.n > 0) {
    return;
  }
  const treatments: TreatmentUsage[] = insurees.flatMap((insuree, n) =>
    Array.from({ length: TREATMENTS_PER_INSUREE }, (_, k) => ({
      insureeId: insuree.insuree_id,
      policyId: insuree.policy_id,
      // Spread over the past year, never after today.
      date: addDays(today, -((n * 37 + k * 61) % 365)),
      careSetting: 'O' as const,
      category: (insuree.service_category === 'O' ? null : insuree.service_category) as never,
      amount: '12.50',
      deductible: k === 0 ? '2.00' : '0.00',
      lines: [
        { itemId: insuree.item_id, quantity: 1, amount: '2.50' },
        { serviceId: insuree.service_id, quantity: 1, amount: '10.00' },
      ],
    })),
  );
  const batch = 200;
  for (let start = 0; start < treatments.length; start += batch) {
    await inTransaction(database.orm.em.fork(), { actor: 'bench' }, async (tx) => {
      for (const treatment of treatments.slice(start, start + batch)) {
        await recordUsage(tx, treatment);
      }
    });
  }
  // The planner's statistics must know the new ledger rows (autovacuum may be off or behind).
  await database.pool.query('analyze usage_entry');
}
