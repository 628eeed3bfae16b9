import pg from 'pg';
import { openDatabase } from '../src/app.ts';
import { issuePaymentReference } from '../src/domain/payment/issue-payment-reference.ts';
import { newReferenceNumber } from '../src/domain/payment/payment-reference-number.ts';
import { PaymentReference } from '../src/domain/payment/payment-reference.entity.ts';
import { Policy } from '../src/domain/policy/policy.entity.ts';
import { policyRulesFrom } from '../src/domain/policy/policy-rules.ts';
import { KingaError } from '../src/domain/shared/errors.ts';
import { fromMinor, toMinor } from '../src/domain/shared/money.ts';
import type { Config } from '../src/platform/config/config.ts';
import { migrateUp } from '../src/platform/database/orm.ts';
import { inTransaction } from '../src/platform/database/unit-of-work.ts';
import { todayIn } from '../src/platform/jobs/scheme-today.ts';
import type { BenchData } from './bench-data.ts';

/** The path secret of the bench server's M-Pesa endpoints (run-bench sets MPESA_CALLBACK_SECRET). */
export const MPESA_SECRET = 'kinga-bench-mpesa-path-secret';

/**
 * Tanzania's iCHF registered 622 804 families (openimis.md §5): as if every one of them paid on
 * the same day, the worst day's backlog a scheme of that size could leave to the allocation job.
 */
export const TANZANIA_DAY = 622_804;

/** Policies the callbacks pay, in turn: enough that a run adds few premiums to each ledger. */
const POOL = 2000;
/** Each callback pays a quarter, half or all of what its reference expects. */
const SHARES = [25n, 50n, 100n];
/**
 * How long the bench watches the inbox drain (then what is left of the run is removed, so that
 * the job does not run on into later scenarios and runs), and for any progress at all.
 */
const DRAIN_TIMEOUT_MS = 120_000;
const STALL_TIMEOUT_MS = 90_000;

interface PooledReference {
  reference: string;
  expectedAmount: string;
}

export interface PaymentData {
  /** A Daraja C2B confirmation with a new TransID, naming the next reference of the pool. */
  confirmationBody: () => string;
  /** The prefix of this run's TransIDs, for `measureAllocation`. */
  txnPrefix: string;
  note: string;
}

/** The payment data of a run, kept beside BenchData (set by run-bench when the scenario runs). */
const attached = new WeakMap<BenchData, PaymentData>();

export function attachPaymentData(data: BenchData, payments: PaymentData): void {
  attached.set(data, payments);
}

export function paymentDataOf(data: BenchData): PaymentData {
  const payments = attached.get(data);
  if (!payments) {
    throw new Error('The M-Pesa scenario needs preparePaymentData (run-bench prepares it when selected)');
  }
  return payments;
}

/**
 * Policies to pay, fewest premiums first (so the ledgers of a reused bench database grow evenly):
 * those still owing (idle, or suspended before the end of their term) first, then, when the seed
 * has fewer than POOL of them, policies in force paid up (their payments are an advance kept as
 * credit for the renewal, as a payer paying early would leave).
 */
const SELECT_POOL = `
select p.id, p.status in ('idle', 'suspended') as owing
  from policy p
  cross join lateral (select count(*) as n from premium pr
                       where pr.policy_id = p.id and pr.deleted_at is null) pr
 where p.deleted_at is null and p.expiry_date >= $1::date
   and p.status in ('idle', 'suspended', 'active', 'ready')
 order by (p.status in ('idle', 'suspended')) desc, pr.n, md5(p.id::text)
 limit $2`;

/**
 * The M-Pesa confirmation scenario's requests. Each policy of the pool gets a payment reference:
 * issued by the use case for what an owing policy still owes (its open reference when it has one),
 * or, for a paid-up policy, its latest reference (a new renewal reference for the value, with its
 * check digits, if it has none). Every TransID is new (`K<run><n>`, the run being the time of
 * preparation), so the receipts never repeat across runs.
 */
export async function preparePaymentData(url: string, config: Config): Promise<PaymentData> {
  const database = await openDatabase(config, url);
  const rules = policyRulesFrom(config);
  const today = todayIn(config.SCHEME_TIME_ZONE);
  const pool: PooledReference[] = [];
  let owing = 0;
  try {
    await migrateUp(database.orm);
    const { rows } = await database.pool.query<{ id: string; owing: boolean }>(SELECT_POOL, [today, POOL]);
    for (let start = 0; start < rows.length; start += 200) {
      await inTransaction(database.orm.em.fork(), { actor: 'bench' }, async (tx) => {
        for (const row of rows.slice(start, start + 200)) {
          const reference = row.owing
            ? await issuePaymentReference(tx, { policyId: row.id }, rules).catch(nothingDue)
            : undefined;
          if (reference) {
            owing += 1;
          }
          const chosen =
            reference ??
            (await tx.findOne(
              PaymentReference,
              { policy: row.id, status: { $ne: 'cancelled' }, deletedAt: null },
              { orderBy: { id: 'desc' } },
            )) ??
            tx.create(PaymentReference, {
              reference: newReferenceNumber(),
              policy: tx.getReference(Policy, row.id),
              purpose: 'renewal',
              expectedAmount: (await tx.findOneOrFail(Policy, row.id)).value,
            } as PaymentReference);
          pool.push(chosen);
        }
      });
    }
  } finally {
    await database.orm.close();
  }
  if (pool.length === 0) {
    throw new Error('No policy of the bench database is in force or waiting for payment');
  }
  const run = Date.now().toString(36).toUpperCase();
  const txnPrefix = `K${run}`;
  // Daraja's time is East Africa Time; the date is what allocation keeps as the pay date.
  const transTime = `${today.replaceAll('-', '')}120000`;
  const templates = pool.map((r, n) =>
    SHARES.map((share) =>
      JSON.stringify({
        TransactionType: 'Pay Bill',
        TransID: '{{id}}',
        TransTime: transTime,
        TransAmount: wholeUnits((toMinor(r.expectedAmount) * share) / 100n),
        BusinessShortCode: 600638,
        BillRefNumber: r.reference,
        InvoiceNumber: '',
        OrgAccountBalance: '',
        ThirdPartyTransID: '',
        // Text, as Daraja sends it now: the older number form (the fixture's) fails allocation, as
        // mpesa.ts passes it on as the payer unconverted (recordPremium trims it).
        MSISDN: String(254_700_000_000 + n),
        FirstName: 'Bench',
        MiddleName: '',
        LastName: 'Payer',
      }),
    ),
  );
  let sent = 0;
  return {
    confirmationBody: () => {
      const n = sent++;
      const round = Math.floor(n / templates.length);
      const template = templates[n % templates.length]![round % SHARES.length]!;
      return template.replace('{{id}}', `${txnPrefix}${n.toString(36).toUpperCase()}`);
    },
    txnPrefix,
    note:
      `${pool.length} payment references (${owing} of policies owing, ${pool.length - owing} of policies ` +
      `paid up), paid in turn: a quarter, half or all of the expected amount`,
  };
}

function nothingDue(error: unknown): undefined {
  if (error instanceof KingaError && error.code === 'payment.nothing-due') {
    return undefined;
  }
  throw error;
}

/** M-Pesa amounts are whole shillings: at least one. */
function wholeUnits(minor: bigint): string {
  const units = minor / 100n;
  return fromMinor((units > 0n ? units : 1n) * 100n).replace(/\.00$/, '');
}

export interface AllocationMeasurement {
  /** This run's callbacks (warm-up included) and what became of them. */
  callbacks: number;
  allocated: number;
  unmatched: number;
  other: number;
  /** `received` rows when the acknowledged run ended, how many were taken, in how many seconds. */
  backlog: number;
  drainedCount: number;
  drainSeconds: number;
  drained: boolean;
  /** This run's entries still waiting when the bench stopped watching, removed from the inbox. */
  removed: number;
  /** Entries allocated per second while no callback arrived (backlog / drain time). */
  drainPerSecond: number;
  /** This run's entries over the time from the first callback to the last allocation. */
  overallPerSecond: number;
}

/**
 * Waits until no `received` row is left in the inbox (the server's allocation job works on it,
 * woken by the callbacks, as deployed), polling the count, and measures how fast it went.
 */
export async function measureAllocation(url: string, txnPrefix: string): Promise<AllocationMeasurement> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const waiting = async () =>
      (
        await client.query<{ n: number }>(
          `select count(*)::int as n from payment_inbox where status = 'received'`,
        )
      ).rows[0]!.n;
    const started = performance.now();
    const backlog = await waiting();
    let left = backlog;
    let progressed = started;
    while (
      left > 0 &&
      performance.now() - started < DRAIN_TIMEOUT_MS &&
      performance.now() - progressed < STALL_TIMEOUT_MS
    ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await waiting();
      if (now < left) {
        progressed = performance.now();
      }
      left = now;
    }
    const drainSeconds = ((left === 0 ? performance.now() : progressed) - started) / 1000;
    // Waits for the row the job holds, then skips it if the job allocated it meanwhile.
    const removed = await client.query(
      `delete from payment_inbox
        where provider = 'mpesa' and provider_txn_id like $1 || '%' and status = 'received'`,
      [txnPrefix],
    );
    const { rows } = await client.query<Record<string, number>>(
      `select count(*)::int as callbacks,
              count(*) filter (where status = 'allocated')::int as allocated,
              count(*) filter (where status = 'unmatched')::int as unmatched,
              count(*) filter (where status not in ('allocated', 'unmatched'))::int as other,
              coalesce(extract(epoch from max(processed_at) - min(received_at)), 0)::float8 as span
         from payment_inbox where provider = 'mpesa' and provider_txn_id like $1 || '%'`,
      [txnPrefix],
    );
    const r = rows[0]!;
    const processed = r['allocated']! + r['unmatched']!;
    return {
      callbacks: r['callbacks']! + (removed.rowCount ?? 0),
      allocated: r['allocated']!,
      unmatched: r['unmatched']!,
      other: r['other']!,
      backlog,
      drainSeconds,
      drainedCount: backlog - left,
      drained: left === 0,
      removed: removed.rowCount ?? 0,
      drainPerSecond: (backlog - left) / Math.max(drainSeconds, 0.001),
      overallPerSecond: processed / Math.max(r['span']!, 0.001),
    };
  } finally {
    await client.end();
  }
}

/** The allocation measurement in words, against the acknowledged rate. */
export function allocationNote(a: AllocationMeasurement, acknowledgedPerSecond: number): string {
  const rate = a.backlog > 0 ? a.drainPerSecond : a.overallPerSecond;
  const keepsUp = rate >= acknowledgedPerSecond;
  const minutes = rate > 0 ? (TANZANIA_DAY / rate / 60).toFixed(1) : '∞';
  return (
    `allocation: ${Math.round(rate)} allocations/s ` +
    `(backlog of ${a.backlog} when the callbacks stopped, ` +
    (a.drained
      ? `cleared in ${a.drainSeconds.toFixed(1)} s`
      : `${a.drainedCount} of it taken in ${a.drainSeconds.toFixed(1)} s, the run's ${a.removed} left removed`) +
    `; ${Math.round(a.overallPerSecond)}/s from the first callback to the last allocation); ` +
    `keeps up with ${Math.round(acknowledgedPerSecond)} callbacks/s: ` +
    `${keepsUp ? 'yes' : 'no'}; a day of Tanzania's volume (${TANZANIA_DAY} payments) clears in ` +
    `${minutes} min\n  ${a.callbacks} callbacks this run (warm-up included): ` +
    `${a.allocated} allocated, ${a.unmatched} unmatched, ${a.other} other, ${a.removed} removed before allocation`
  );
}
