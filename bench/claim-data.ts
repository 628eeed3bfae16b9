import pg from 'pg';
import { openDatabase } from '../src/app.ts';
import { ITEM_CODE_SYSTEM, SERVICE_CODE_SYSTEM } from '../src/fhir/shared/medical-values.ts';
import { addDays } from '../src/domain/policy/calendar.ts';
import type { Config } from '../src/platform/config/config.ts';
import { migrateUp } from '../src/platform/database/orm.ts';
import { todayIn } from '../src/platform/jobs/scheme-today.ts';

/** One member's claim, prepared once: `{{code}}` and `{{date}}` are filled in per request. */
interface PreparedClaim {
  familyId: string;
  template: string;
}

interface Line {
  kind: 'item' | 'service';
  code: string;
  price: string;
  quantity: number;
}

interface Row {
  insuree_id: string;
  family_id: string;
  facility_id: string;
  diagnosis: string;
  lines: Line[];
}

export interface ClaimData {
  /** A new claim (5 lines) for a random member; a fresh code on every call. */
  claimBody: () => string;
  /** A transaction Bundle of `BUNDLE_CLAIMS` new claims; a fresh code for each. */
  bundleBody: () => string;
  /** The prefix of the claim codes each scenario sends this run, for `claimOutcomes`. */
  codePrefixes: { claim: string; bundle: string };
  note: string;
}

export const CLAIM_LINES = 5;
export const BUNDLE_CLAIMS = 100;
const ITEM_LINES = 3;
const VISIT_TYPE = 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/claim-visit-type';
const CLAIM_CODES = 'urn:kinga:bench:claim-code';

/**
 * Members whose only cover is in force yesterday and today (an active policy, effective by
 * yesterday), one per family, with their first point of service as the facility; and for each,
 * 3 items and 2 services that their product covers, the facility's price lists list, and the
 * static rules let through for an out-patient visit (valid on both days, care type, patient
 * category, no frequency rule, waiting period over), so that lines are rejected only for what the
 * ledger says (provisions, ceilings), as a scheme's would be. One member per family: two claims of
 * one family lock the same policy rows, which real claims, spread over a whole scheme, rarely do.
 */
const SELECT_CLAIMS = `
with single_cover as (
  -- An anti-join, not "group by … having count(*) = 1": PostgreSQL guesses a HAVING's rows at a
  -- fraction (3 000 of 600 000 here) and then joined the facilities by a nested loop over all of
  -- them (50 s at 1 M insurees, against about 4 s).
  select ip.insuree_id from insuree_policy ip
   where ip.deleted_at is null and ip.start_date <= $2::date and ip.expiry_date >= $1::date
     and not exists (select 1 from insuree_policy other
                      where other.insuree_id = ip.insuree_id and other.id <> ip.id
                        and other.deleted_at is null and other.start_date <= $2::date
                        and other.expiry_date >= $1::date)),
member as (
  select distinct on (i.family_id) i.id as insuree_id, i.family_id, po.product_id, po.stage,
         ip.effective_date, f.id as facility_id, f.care_type as facility_care,
         f.items_price_list_id, f.services_price_list_id,
         (case i.gender when 'M' then 1 when 'F' then 2 else 3 end) as sex_bits,
         (i.birth_date is null or i.birth_date + make_interval(years => $3) <= $2::date) as adult
    from single_cover sc
    join insuree i on i.id = sc.insuree_id and i.deleted_at is null
    join insuree_policy ip on ip.insuree_id = i.id and ip.deleted_at is null
     and ip.start_date <= $1::date and ip.expiry_date >= $2::date and ip.effective_date <= $1::date
    join policy po on po.id = ip.policy_id and po.status = 'active' and po.deleted_at is null
    join organisation f on f.id = i.first_service_point_id and f.deleted_at is null
     and f.kind = 'health-facility' and f.items_price_list_id is not null
     and f.services_price_list_id is not null
   -- Neither side of the age of majority between yesterday and today.
   where (i.birth_date is null or (i.birth_date + make_interval(years => $3) <= $1::date)
                                = (i.birth_date + make_interval(years => $3) <= $2::date))
   order by i.family_id, md5(i.id::text)),
sampled as (select * from member order by random() limit $4)
select m.insuree_id, m.family_id, m.facility_id, d.code as diagnosis, l.lines
  from sampled m
  cross join lateral (select code from diagnosis where deleted_at is null
                       order by md5(code || m.insuree_id::text) limit 1) d
  cross join lateral (
    select json_agg(json_build_object('kind', x.kind, 'code', x.code, 'price', x.price::text,
                                      'quantity', x.quantity) order by x.kind, x.rank) as lines
      from (select t.*, row_number() over (partition by t.kind order by md5(t.code || m.insuree_id::text)) as rank
              from (select 'item' as kind, r.code, coalesce(pl.price_overrule, r.price) as price,
                           1 + abs(hashtext(r.code || m.insuree_id::text)) % 3 as quantity,
                           r.care_type, r.patient_category, r.frequency_days, r.valid_from, r.valid_to, pc.*
                      from product_coverage pc
                      join medical_item r on r.id = pc.item_id and r.deleted_at is null
                      join price_list_line pl on pl.price_list_id = m.items_price_list_id and pl.item_id = r.id
                     where pc.product_id = m.product_id
                    union all
                    select 'service', r.code, coalesce(pl.price_overrule, r.price), 1,
                           r.care_type, r.patient_category, r.frequency_days, r.valid_from, r.valid_to, pc.*
                      from product_coverage pc
                      join medical_service r on r.id = pc.service_id and r.deleted_at is null
                      join price_list_line pl on pl.price_list_id = m.services_price_list_id and pl.service_id = r.id
                     where pc.product_id = m.product_id) t
             where t.care_type <> 'I' and not (m.facility_care = 'I' and t.care_type = 'O')
               and (t.patient_category & (case when m.adult then 4 else 8 end)) <> 0
               and (t.patient_category & m.sex_bits) <> 0
               and t.frequency_days is null
               and (t.valid_from is null or t.valid_from <= $2::date)
               and (t.valid_to is null or t.valid_to >= $1::date)
               and (m.stage <> 'N' or m.effective_date + make_interval(months =>
                      case when m.adult then t.waiting_period_adult_months
                           else t.waiting_period_child_months end) <= $2::date)) x
     where x.rank <= case x.kind when 'item' then ${ITEM_LINES} else ${CLAIM_LINES - ITEM_LINES} end) l
 where json_array_length(l.lines) = ${CLAIM_LINES}`;

function claimTemplate(row: Row, today: string, currency: string): string {
  return JSON.stringify({
    resourceType: 'Claim',
    identifier: [{ system: CLAIM_CODES, value: '{{code}}' }],
    status: 'active',
    type: { coding: [{ system: VISIT_TYPE, code: 'O' }] },
    use: 'claim',
    patient: { reference: `Patient/${row.insuree_id}` },
    billablePeriod: { start: '{{date}}', end: '{{date}}' },
    created: today,
    provider: { reference: `Organization/${row.facility_id}` },
    priority: { coding: [{ code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: { display: 'Scheme cover' } }],
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ code: row.diagnosis }] } }],
    item: row.lines.map((line, index) => ({
      sequence: index + 1,
      category: { coding: [{ code: line.kind }] },
      productOrService: {
        coding: [{ system: line.kind === 'item' ? ITEM_CODE_SYSTEM : SERVICE_CODE_SYSTEM, code: line.code }],
      },
      quantity: { value: line.quantity },
      unitPrice: { value: Number(line.price), currency },
    })),
  });
}

/**
 * The claim scenarios' requests, from the bench database as it is (the claims tables come from
 * the migrations, applied here as the server would). Codes are `B<run>-<c|b>-<n>`: the run is the
 * time of preparation, so codes never repeat across runs. Claims are dated today or yesterday, in turn.
 */
export async function prepareClaimData(url: string, config: Config, sample = 10_000): Promise<ClaimData> {
  const database = await openDatabase(config, url);
  const today = todayIn(config.SCHEME_TIME_ZONE);
  const yesterday = addDays(today, -1);
  let rows: Row[];
  try {
    await migrateUp(database.orm);
    const { rows: diagnoses } = await database.pool.query<{ n: number }>(
      'select count(*)::int as n from diagnosis where deleted_at is null',
    );
    if (diagnoses[0]!.n === 0) {
      // The seed registers ICD-10 diagnoses with the medical registers: a database without any
      // was seeded before them and has no price lists or products to claim either.
      throw new Error('The bench database has no diagnoses: drop it and let the bench seed it again');
    }
    ({ rows } = await database.pool.query<Row>(SELECT_CLAIMS, [
      yesterday,
      today,
      config.AGE_OF_MAJORITY,
      sample,
    ]));
  } finally {
    await database.orm.close();
  }
  if (rows.length === 0) {
    throw new Error('No member of the bench database has a cover in force yesterday and today');
  }
  const claims: PreparedClaim[] = rows.map((row) => ({
    familyId: row.family_id,
    template: claimTemplate(row, today, config.CURRENCY),
  }));
  const run = Date.now().toString(36);
  const codePrefixes = { claim: `B${run}-c-`, bundle: `B${run}-b-` };
  let sent = 0;
  const fill = (claim: PreparedClaim, prefix: string) => {
    const n = sent++;
    return claim.template
      .replace('{{code}}', `${prefix}${n.toString(36)}`)
      .replaceAll('{{date}}', n % 2 === 0 ? today : yesterday);
  };
  let nextClaim = 0;
  let nextBlock = 0;
  return {
    claimBody: () => fill(claims[nextClaim++ % claims.length]!, codePrefixes.claim),
    bundleBody: () => {
      const start = (nextBlock++ * BUNDLE_CLAIMS) % claims.length;
      const block = Array.from({ length: BUNDLE_CLAIMS }, (_, k) => claims[(start + k) % claims.length]!);
      // Each claim locks its family's policies of the past year until the Bundle commits: in
      // family order, concurrent Bundles sharing families wait for one another, never deadlock.
      block.sort((a, b) => (a.familyId < b.familyId ? -1 : a.familyId > b.familyId ? 1 : 0));
      const entries = block.map(
        (claim) =>
          `{"request":{"method":"POST","url":"Claim"},"resource":${fill(claim, codePrefixes.bundle)}}`,
      );
      return `{"resourceType":"Bundle","type":"transaction","entry":[${entries.join(',')}]}`;
    },
    codePrefixes,
    note: `${claims.length} members in force yesterday and today (one per family), ${CLAIM_LINES} lines each`,
  };
}

/** What became of the claims whose code starts with `prefix`. */
export async function claimOutcomes(url: string, prefix: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, number>>(
      `select count(*)::int as claims,
              count(*) filter (where c.status = 'valuated')::int as valuated,
              count(*) filter (where c.review_status = 'selected')::int as review,
              count(*) filter (where c.review_reasons ? 'sample')::int as sample,
              count(*) filter (where c.review_reasons ? 'frequency')::int as frequency,
              count(*) filter (where c.review_reasons ? 'rare-service')::int as rare,
              count(*) filter (where c.status = 'rejected')::int as rejected,
              coalesce(sum(l.passed), 0)::int as passed, coalesce(sum(l.lines), 0)::int as lines
         from claim c
         cross join lateral (select count(*) as lines, count(*) filter (where status = 'passed') as passed
                               from claim_line where claim_id = c.id) l
        where c.code like $1 || '%' and c.deleted_at is null`,
      [prefix],
    );
    const r = rows[0]!;
    const share = (n: number, of: number) => `${of === 0 ? 0 : Math.round((n / of) * 1000) / 10} %`;
    return (
      `${r['claims']} claims: ${share(r['valuated']!, r['claims']!)} valuated, ` +
      `${share(r['review']!, r['claims']!)} selected for review (sample ${r['sample']}, ` +
      `frequency ${r['frequency']}, rare service ${r['rare']}), ${share(r['rejected']!, r['claims']!)} rejected; ` +
      `${share(r['passed']!, r['lines']!)} of lines passed`
    );
  } finally {
    await client.end();
  }
}
