import type { EntityManager } from '@mikro-orm/core';
import type {
  CoverageLine,
  CoverRow,
  EligibilityReads,
  EnquiredFacility,
  EnquiredInsuree,
  FacilityLine,
  Ledger,
  RequestedService,
  UsageRow,
} from '../../domain/eligibility/eligibility-reads.ts';
import { emQueryable, type Queryable } from '../../platform/database/queryable.ts';
import { raw, sql, type Sql } from '../../platform/database/sql.ts';
import { SCHEME_INSURER_ID_SQL } from '../shared/policy-values.ts';
import { primeSchemeInsurer, type SchemeInsurer } from '../shared/scheme-insurer.ts';
import { productVersionColumns, ProductTermsCache } from './product-terms.sql.ts';

type Row = Record<string, unknown>;

/** One cache of product terms per database (per ORM driver). */
const productTermsCaches = new WeakMap<object, ProductTermsCache>();
function productTermsCacheOf(em: EntityManager): ProductTermsCache {
  const driver = em.getDriver();
  let cache = productTermsCaches.get(driver);
  if (!cache) {
    cache = new ProductTermsCache();
    productTermsCaches.set(driver, cache);
  }
  return cache;
}

/**
 * Eligibility's reads as a few indexed SQL queries returning plain rows, on `db`: by default the
 * entity manager's connection (inside a claim's transaction, they see its writes); an enquiry,
 * which has no transaction, reads on the pool. Dates are read as text (YYYY-MM-DD), as the ORM
 * maps `date` columns. The insurer read with the patient is kept for `em`'s renderers.
 */
export function sqlEligibilityReads(em: EntityManager, db: Queryable = emQueryable(em)): EligibilityReads {
  return {
    async patientAndRequested({
      itemCodes,
      serviceCodes,
      itemIds = [],
      serviceIds = [],
      patient,
      from,
      to,
      withLedger = false,
      facilityId,
    }) {
      const where = !patient
        ? sql`false`
        : 'id' in patient
          ? sql`i.id = ${patient.id}::uuid`
          : sql`i.insurance_number = ${patient.insuranceNumber}`;
      // One row per cover, naming its product's row version (its terms come from
      // ProductTermsCache), one without a cover when the patient has none or is unknown; each
      // row carries the items and services asked about and the scheme's insurer, which the
      // published request and response name, and, asked for, the ledger under the covers
      // (usageAndLines, the same query): one round trip where two were, on the path every visit
      // takes. Prepared: planning it costs several times running it.
      const rows = await db.query<Row>(
        sql`
        with medical as (
          select 'item' as kind, id, code, care_type, frequency_days, patient_category,
                 valid_from, valid_to, price, null as category
            from medical_item
           where (code = any(${itemCodes}::text[]) or id = any(${itemIds}::uuid[]))
             and deleted_at is null
          union all
          select 'service', id, code, care_type, frequency_days, patient_category,
                 valid_from, valid_to, price, category
            from medical_service
           where (code = any(${serviceCodes}::text[]) or id = any(${serviceIds}::uuid[]))
             and deleted_at is null
        ),
        p as (
          select i.id as insuree_id, i.birth_date::text as insuree_birth_date,
                 i.gender as insuree_gender, c.*
            from insuree i
            left join lateral (
              select ip.id as cover_id, ip.start_date::text as cover_start,
                     ip.expiry_date::text as cover_expiry, ip.effective_date::text as cover_effective,
                     po.id as policy_id, po.status as policy_status, po.stage as policy_stage,
                     ${productVersionColumns}
                from insuree_policy ip
                join policy po on po.id = ip.policy_id
                join product pr on pr.id = po.product_id
               where ip.insuree_id = i.id and ip.deleted_at is null
                 and ip.expiry_date >= ${from}::date and ip.start_date <= ${to}::date
            ) c on true
           where ${where} and i.deleted_at is null
        )
        select m.medical, s.insurer, ${facilityId ? sql`f.facility,` : sql``} ${withLedger ? sql`l.*,` : sql``} p.*
          from (select coalesce(json_agg(json_build_object(
                         'kind', r.kind, 'id', r.id, 'code', r.code, 'careType', r.care_type,
                         'frequencyDays', r.frequency_days, 'patientCategory', r.patient_category,
                         'validFrom', r.valid_from::text, 'validTo', r.valid_to::text,
                         'price', r.price::text, 'category', r.category)), '[]') as medical
                  from medical r) m
          cross join (select (select json_build_object('id', id, 'name', name) from organisation
                               where id = ${raw(SCHEME_INSURER_ID_SQL)}) as insurer) s
          ${
            // The facility asked as, and its price lists' lines for what is asked; only when one is
            // asked about (a text of its own, prepared apart), so that other enquiries do not carry it.
            facilityId
              ? sql`cross join (select (
            select json_build_object('id', o.id, 'kind', o.kind, 'careType', o.care_type,
                     'lines', ${facilityLinesSql(
                       sql`o.items_price_list_id`,
                       sql`o.services_price_list_id`,
                       sql`array(select id from medical where kind = 'item')`,
                       sql`array(select id from medical where kind = 'service')`,
                     )})
              from organisation o where o.id = ${facilityId}::uuid and o.deleted_at is null
          ) as facility) f`
              : sql``
          }
          ${
            withLedger
              ? sql`cross join (${ledgerSql(
                  sql`(select insuree_id from p limit 1)`,
                  sql`array(select distinct policy_id from p where policy_id is not null)`,
                  sql`array(select distinct product_id from p where policy_id is not null)`,
                  sql`array(select id from medical where kind = 'item')`,
                  sql`array(select id from medical where kind = 'service')`,
                )}) l`
              : sql``
          }
          left join p on true
         order by p.cover_start desc`.prepared(),
      );
      const first = rows[0]!;
      primeSchemeInsurer(em, (first['insurer'] as SchemeInsurer | null) ?? null);
      const medical = first['medical'] as (RequestedService & { kind: 'item' | 'service' })[];
      const coverRows = rows.filter((row) => row['cover_id'] != null);
      const products = await productTermsCacheOf(em).termsOf(
        db,
        coverRows.map((row) => ({ id: row['product_id'] as string, tuple: row['product_tuple'] as string })),
      );
      const covers = coverRows.map(
        (row) =>
          ({
            id: row['cover_id'],
            startDate: row['cover_start'],
            expiryDate: row['cover_expiry'],
            effectiveDate: row['cover_effective'] ?? null,
            policy: {
              id: row['policy_id'],
              status: row['policy_status'],
              stage: row['policy_stage'],
              product: products.get(row['product_id'] as string),
            },
          }) as CoverRow,
      );
      return {
        items: medical
          .filter((r) => r.kind === 'item')
          .map(({ kind: _kind, category: _category, ...item }) => item),
        services: medical.filter((r) => r.kind === 'service').map(({ kind: _kind, ...service }) => service),
        patient:
          first['insuree_id'] == null
            ? null
            : {
                insuree: {
                  id: first['insuree_id'],
                  birthDate: first['insuree_birth_date'] ?? null,
                  gender: first['insuree_gender'] ?? null,
                } as EnquiredInsuree,
                covers,
              },
        ...(withLedger ? { ledger: ledgerOf(first as unknown as LedgerJson) } : {}),
        ...(facilityId ? { facility: (first['facility'] as EnquiredFacility | null) ?? null } : {}),
      };
    },

    async usageAndLines({ insureeId, policyIds, productIds, itemIds, serviceIds }) {
      const rows = await db.query<LedgerJson>(
        ledgerSql(
          sql`${insureeId}::uuid`,
          sql`${policyIds}::uuid[]`,
          sql`${productIds}::uuid[]`,
          sql`${itemIds}::uuid[]`,
          sql`${serviceIds}::uuid[]`,
        ).prepared(),
      );
      return ledgerOf(rows[0]!);
    },

    async facilityLines({ itemsPriceListId, servicesPriceListId, itemIds, serviceIds }) {
      if (!itemsPriceListId && !servicesPriceListId) {
        return [];
      }
      const rows = await db.query<{ lines: FacilityLine[] }>(
        sql`select ${facilityLinesSql(
          sql`${itemsPriceListId}::uuid`,
          sql`${servicesPriceListId}::uuid`,
          sql`${itemIds}::uuid[]`,
          sql`${serviceIds}::uuid[]`,
        )} as lines`.prepared(),
      );
      return rows[0]!.lines;
    },
  };
}

/**
 * The lines of a facility's items list for these items and of its services list for these
 * services, as a JSON array of FacilityLine, each with its list's dates.
 */
function facilityLinesSql(itemsListId: Sql, servicesListId: Sql, itemIds: Sql, serviceIds: Sql): Sql {
  return sql`coalesce((
    select json_agg(json_build_object(
             'targetId', coalesce(l.item_id, l.service_id), 'priceOverrule', l.price_overrule::text,
             'list', json_build_object('validFrom', pl.valid_from::text, 'deletedAt', pl.deleted_at::text)))
      from price_list_line l join price_list pl on pl.id = l.price_list_id
     where (l.price_list_id = ${itemsListId} and l.item_id = any(${itemIds}))
        or (l.price_list_id = ${servicesListId} and l.service_id = any(${serviceIds}))), '[]')`;
}

interface LedgerJson {
  usage: Row[];
  members: Record<string, number>;
  lines: Row[];
}

function ledgerOf({ usage, members, lines }: LedgerJson): Ledger {
  const ref = (id: unknown) => (id == null ? null : { id });
  return {
    usage: usage.map(
      (u) =>
        ({
          ...u,
          insuree: { id: u['insuree'] },
          policy: { id: u['policy'] },
          item: ref(u['item']),
          service: ref(u['service']),
        }) as UsageRow,
    ),
    members: new Map(Object.entries(members)),
    lines: lines as CoverageLine[],
  };
}

/**
 * The member's ledger entries under the policies with every member's treatments under them, the
 * live member count of each policy, and the products' lines for these items and services: one
 * row of three JSON columns. numeric as text inside JSON, so amounts keep their two decimals ("12.50").
 */
function ledgerSql(insureeId: Sql, policyIds: Sql, productIds: Sql, itemIds: Sql, serviceIds: Sql): Sql {
  return sql`
        select
          (select coalesce(json_agg(json_build_object(
                    'insuree', u.insuree_id, 'policy', u.policy_id, 'kind', u.kind,
                    'date', u.date::text, 'item', u.item_id, 'service', u.service_id,
                    'category', u.category, 'careSetting', u.care_setting, 'quantity', u.quantity,
                    'amount', u.amount::text, 'deductible', u.deductible::text,
                    'claimId', u.claim_id)), '[]')
             from usage_entry u
            where u.policy_id = any(${policyIds})
              and (u.insuree_id = ${insureeId} or u.kind = 'treatment')) as usage,
          (select coalesce(json_object_agg(m.policy_id, m.n), '{}')
             -- Live members counted in the aggregate, not the WHERE: "deleted_at is null" there lets
             -- the planner pick the partial unique index (insuree_id, policy_id) and read all of it.
             from (select policy_id, (count(*) filter (where deleted_at is null))::int as n
                     from insuree_policy
                    where policy_id = any(${policyIds})
                    group by policy_id) m) as members,
          (select coalesce(json_agg(json_build_object(
                    'productId', pc.product_id, 'targetId', coalesce(pc.item_id, pc.service_id),
                    'priceOrigin', pc.price_origin,
                    'limitationType', pc.limitation_type, 'limitAdult', pc.limit_adult::text,
                    'limitChild', pc.limit_child::text,
                    'limitationTypeReferral', pc.limitation_type_referral,
                    'limitAdultReferral', pc.limit_adult_referral::text,
                    'limitChildReferral', pc.limit_child_referral::text,
                    'limitationTypeEmergency', pc.limitation_type_emergency,
                    'limitAdultEmergency', pc.limit_adult_emergency::text,
                    'limitChildEmergency', pc.limit_child_emergency::text,
                    'ceilingExclusionAdult', pc.ceiling_exclusion_adult,
                    'ceilingExclusionChild', pc.ceiling_exclusion_child,
                    'maxProvisionsAdult', pc.max_provisions_adult,
                    'maxProvisionsChild', pc.max_provisions_child,
                    'waitingPeriodAdultMonths', pc.waiting_period_adult_months,
                    'waitingPeriodChildMonths', pc.waiting_period_child_months)), '[]')
             from product_coverage pc
            where pc.product_id = any(${productIds})
              and (pc.item_id = any(${itemIds}) or pc.service_id = any(${serviceIds}))) as lines`;
}
