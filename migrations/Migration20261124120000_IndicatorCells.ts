import { Migration } from '@mikro-orm/migrations';

/**
 * The indicator cube's pre-aggregation (src/integrations/dhis2/cube/cells.ts): a month's sums
 * per indicator, stratum and cell unit (a ward, a facility), and the marks that say which cells
 * a write has made stale. The marks are set by statement-level triggers, so that every writer
 * (use cases, imports, SQL) keeps them, with the old and the new values of a row: a family that
 * moves to another village stales both.
 *
 * A mark is (month, base unit, part): the village of a family or the facility of a claim, and the
 * part of the cube's sources that the write changes there (Source.cellParts: people, utilisation,
 * families, policies, claims), so that a claim recomputes its facility's claims and its
 * patient's ward's utilisation, not the ward's whole population. A write stales
 * the months its dates reach; a register record (an insuree, a policy) stales every month from
 * its first date on, since the stocks at a month's end count it. Marks reach back 25 months and
 * forward one: the cube keeps cells only for the last 24 months and the current one. "Now" is
 * `indicator_today()`, the database's date unless `indicator_clock` holds one (the tests fix it,
 * so that their data of November 2026 stays in reach of cells in any year).
 *
 * Marks are only ever appended (a statement's are distinct, two statements' may repeat): a unique
 * key would make a writer wait for every other transaction that marked the same place and month
 * until it commits (ON CONFLICT waits on uncommitted duplicates), which serialises a facility's
 * claims and stalls a bulk import. A refresh takes all of a month's marks at once.
 *
 * A change to what every cell depends on (a product's or a diagnosis's code, the location tree,
 * which organisations are facilities) moves the generation instead: every month is built again.
 */

/** A register the cube reads: how its changed rows become marks (unit, parts, from day, to day). */
interface Marked {
  table: string;
  /** Columns whose change matters; an update of others (a status, a version) marks nothing. */
  columns: readonly string[];
  /** SELECT of (unit, parts text[], from_day, to_day) over `r`, the changed rows (to_day null: onward). */
  marks: string;
}

const treatment = 'coalesce(r.date_to, r.date_from)';
// `min(x + 0)`, not `min(x)`: over a date with an index of its own, PostgreSQL answers min() by
// walking that index until a row of the family or insuree turns up, which for a new one is the
// whole index (40 ms a row over 280 000 policies); + 0 keeps it to the family's or insuree's rows.
const CLAIMS = "array['claims']";

const MARKED: readonly Marked[] = [
  {
    table: 'claim',
    columns: [
      'facility_id',
      'insuree_id',
      'visit_type',
      'date_from',
      'date_to',
      'date_claimed',
      'main_diagnosis_id',
      'status',
      'created_at',
      'valuated_at',
      'deleted_at',
    ],
    // Timestamps fall on a day in the scheme's time zone: a day either side covers any zone.
    marks: `select r.facility_id, ${CLAIMS}, ${treatment}, ${treatment} from r
      union all select r.facility_id, ${CLAIMS}, r.created_at::date - 1, r.created_at::date + 1 from r
      union all select r.facility_id, ${CLAIMS}, r.valuated_at::date - 1, r.valuated_at::date + 1 from r
      union all select f.village_id, array['utilisation'], ${treatment}, ${treatment}
                  from r join insuree i on i.id = r.insuree_id join family f on f.id = i.family_id`,
  },
  {
    table: 'claim_line',
    columns: [],
    marks: `select c.facility_id, ${CLAIMS}, coalesce(c.date_to, c.date_from), coalesce(c.date_to, c.date_from)
      from r join claim c on c.id = r.claim_id`,
  },
  {
    table: 'insuree',
    columns: ['family_id', 'birth_date', 'gender', 'created_at', 'deleted_at'],
    // Where they live (people, families' heads) and where they were treated (claims' strata).
    marks: `select f.village_id, array['people', 'families', 'utilisation'],
                   least(r.created_at::date - 1,
                         (select min(coalesce(c.date_to, c.date_from) + 0) from claim c where c.insuree_id = r.id)),
                   null::date
              from r join family f on f.id = r.family_id
      union all select c.facility_id, ${CLAIMS}, coalesce(c.date_to, c.date_from), coalesce(c.date_to, c.date_from)
                  from r join claim c on c.insuree_id = r.id`,
  },
  {
    table: 'family',
    columns: ['village_id', 'head_id', 'created_at', 'deleted_at'],
    // A family that moves takes its members, policies and members' claims with it.
    marks: `select r.village_id, array['people', 'families', 'policies', 'utilisation'],
                   least(r.created_at::date - 1,
                         (select min(p.enrol_date + 0) from policy p where p.family_id = r.id),
                         (select min(coalesce(c.date_to, c.date_from) + 0)
                            from insuree i join claim c on c.insuree_id = i.id where i.family_id = r.id)),
                   null::date
              from r`,
  },
  {
    table: 'policy',
    columns: [
      'family_id',
      'product_id',
      'stage',
      'value',
      'enrol_date',
      'start_date',
      'effective_date',
      'expiry_date',
      'previous_id',
      'deleted_at',
    ],
    // A renewal also changes whether the policy it renews counts as renewed, in its expiry month.
    marks: `select f.village_id, array['people', 'families', 'policies'],
                   least(r.enrol_date, r.start_date, r.effective_date, r.expiry_date), null::date
              from r join family f on f.id = r.family_id
      union all select f.village_id, array['policies'], p.expiry_date, p.expiry_date
                  from r join policy p on p.id = r.previous_id join family f on f.id = p.family_id`,
  },
  {
    table: 'insuree_policy',
    columns: [
      'insuree_id',
      'policy_id',
      'enrol_date',
      'start_date',
      'effective_date',
      'expiry_date',
      'deleted_at',
    ],
    marks: `select f.village_id, array['people'],
                   least(r.enrol_date, r.start_date, r.effective_date, r.expiry_date), null::date
              from r join insuree i on i.id = r.insuree_id join family f on f.id = i.family_id`,
  },
  {
    table: 'premium',
    columns: ['policy_id', 'kind', 'amount', 'pay_date', 'deleted_at'],
    marks: `select f.village_id, array['families', 'policies'], r.pay_date, null::date
              from r join policy p on p.id = r.policy_id join family f on f.id = p.family_id`,
  },
];

/** Tables whose change rebuilds every month: the columns that matter on update, and whether inserts and deletes do. */
const GENERATIONAL: readonly { table: string; columns: readonly string[]; insertOrDelete: boolean }[] = [
  { table: 'product', columns: ['code'], insertOrDelete: false },
  { table: 'diagnosis', columns: ['code'], insertOrDelete: false },
  // A location that gets its first child becomes a cell of its own.
  { table: 'location', columns: ['parent_id'], insertOrDelete: true },
  { table: 'organisation', columns: ['kind'], insertOrDelete: false },
];

const changed = (columns: readonly string[], o = 'o', n = 'n') =>
  columns.length === 0
    ? 'true'
    : `(${columns.map((c) => `${o}.${c}`).join(', ')}) is distinct from (${columns.map((c) => `${n}.${c}`).join(', ')})`;

/**
 * A trigger function per table: the marks' INSERT is written out once per kind of statement,
 * each over the transition tables that kind has (PL/pgSQL plans a branch only when it runs it).
 */
function markingSql({ table, columns, marks }: Marked): string[] {
  const insertMarks = (rows: string) => `
        insert into indicator_dirty (month, unit, part)
        select distinct m.month, x.unit, p.part
          from (with r as (${rows}) ${marks}) as x(unit, parts, from_day, to_day)
          cross join lateral unnest(x.parts) as p(part)
          cross join lateral indicator_months(x.from_day, x.to_day) as m(month)
         where x.unit is not null;`;
  const both = `select o.* from old_rows o join new_rows n on n.id = o.id where ${changed(columns)}
                 union all
                 select n.* from old_rows o join new_rows n on n.id = o.id where ${changed(columns)}`;
  const fn = `indicator_mark_${table}`;
  return [
    `create function ${fn}() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'INSERT' then ${insertMarks('select * from new_rows')}
      elsif TG_OP = 'DELETE' then ${insertMarks('select * from old_rows')}
      else ${insertMarks(both)}
      end if;
      return null;
    end $$;`,
    `create trigger ${table}_indicator_insert after insert on ${table}
       referencing new table as new_rows for each statement execute function ${fn}();`,
    `create trigger ${table}_indicator_update after update on ${table}
       referencing old table as old_rows new table as new_rows for each statement execute function ${fn}();`,
    `create trigger ${table}_indicator_delete after delete on ${table}
       referencing old table as old_rows for each statement execute function ${fn}();`,
  ];
}

function generationalSql({ table, columns, insertOrDelete }: (typeof GENERATIONAL)[number]): string[] {
  const statements = [
    `create trigger ${table}_indicator_generation after update on ${table}
       for each row when (${changed(columns, 'old', 'new')}) execute function indicator_next_generation();`,
  ];
  if (insertOrDelete) {
    statements.push(`create trigger ${table}_indicator_generation_rows after insert or delete on ${table}
       for each statement execute function indicator_next_generation();`);
  }
  return statements;
}

export class Migration20261124120000_IndicatorCells extends Migration {
  override name = 'Migration20261124120000_IndicatorCells';

  override up(): void | Promise<void> {
    this.addSql(`create table indicator_cell (
      month date not null, part text not null, unit uuid not null, indicator text not null,
      strata text null, num numeric not null, den numeric null);`);
    // By part and unit for a refresh, by indicator for answering.
    this.addSql(`create index indicator_cell_month_part_unit_index on indicator_cell (month, part, unit);`);
    this.addSql(`create index indicator_cell_month_indicator_index on indicator_cell (month, indicator);`);
    this.addSql(`create table indicator_month (
      month date primary key, fingerprint text not null, generation bigint not null, built_at timestamptz not null);`);
    this.addSql(
      `create table indicator_generation (id boolean primary key default true check (id), n bigint not null);`,
    );
    this.addSql(`insert into indicator_generation (n) values (0);`);
    this.addSql(
      `create table indicator_dirty (month date not null, unit uuid not null, part text not null);`,
    );
    this.addSql(`create index indicator_dirty_month_index on indicator_dirty (month);`);
    // Written by a refresh only (under the month's lock): what it took, until its cells commit.
    this.addSql(`create table indicator_refreshing (
      month date not null, unit uuid not null, part text not null, primary key (month, unit, part));`);
    this.addSql(
      `create table indicator_clock (id boolean primary key default true check (id), today date not null);`,
    );
    this.addSql(`create function indicator_today() returns date language sql stable as $$
        select coalesce((select today from indicator_clock), current_date)
      $$;`);
    // The months (first days) from `from_day` to `to_day` (null: onward) that cells can exist for.
    this.addSql(`create function indicator_months(from_day date, to_day date) returns setof date
      language sql stable as $$
        select m::date from generate_series(
            date_trunc('month', greatest(from_day, (indicator_today() - interval '25 months')::date)::timestamp),
            date_trunc('month', least(coalesce(to_day, indicator_today() + 31), indicator_today() + 31)::timestamp),
            interval '1 month') as m
         where from_day is not null
      $$;`);
    this.addSql(`create function indicator_next_generation() returns trigger language plpgsql as $$
      begin
        update indicator_generation set n = n + 1;
        return null;
      end $$;`);
    for (const marked of MARKED) {
      for (const statement of markingSql(marked)) {
        this.addSql(statement);
      }
    }
    for (const table of GENERATIONAL) {
      for (const statement of generationalSql(table)) {
        this.addSql(statement);
      }
    }
  }

  override down(): void | Promise<void> {
    for (const { table, insertOrDelete } of GENERATIONAL) {
      this.addSql(`drop trigger if exists ${table}_indicator_generation on ${table};`);
      if (insertOrDelete) {
        this.addSql(`drop trigger if exists ${table}_indicator_generation_rows on ${table};`);
      }
    }
    for (const { table } of MARKED) {
      for (const op of ['insert', 'update', 'delete']) {
        this.addSql(`drop trigger if exists ${table}_indicator_${op} on ${table};`);
      }
      this.addSql(`drop function if exists indicator_mark_${table}();`);
    }
    this.addSql(`drop function if exists indicator_next_generation();`);
    this.addSql(`drop function if exists indicator_months(date, date);`);
    this.addSql(`drop function if exists indicator_today();`);
    for (const table of [
      'indicator_clock',
      'indicator_refreshing',
      'indicator_dirty',
      'indicator_generation',
      'indicator_month',
      'indicator_cell',
    ]) {
      this.addSql(`drop table if exists ${table};`);
    }
  }
}
