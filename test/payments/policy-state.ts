/**
 * What the provider tests look at after a callback: the inbox rows, the premium ledger, and the
 * policy as published (its Contract's status and account: value, paid, balance, credit).
 */
import type { Test } from 'tap';
import type { KingaDatabase } from '../../src/app.ts';
import { account, policyStatus } from '../helpers/policy-api.ts';
import { validFhir, type TestApp } from '../helpers/test-app.ts';

/** Inbox rows of a provider, all or those of one transaction id. */
export async function inboxRows(db: KingaDatabase, provider: string, txnId?: string): Promise<number> {
  const result = await db.pool.query<{ n: string }>(
    `select count(*) as n from payment_inbox where provider = $1 and ($2::text is null or provider_txn_id = $2)`,
    [provider, txnId ?? null],
  );
  return Number(result.rows[0]!.n);
}

/** The policy's ledger entries, oldest first, as `kind amount`. */
export async function ledger(db: KingaDatabase, policyId: string): Promise<string[]> {
  const result = await db.pool.query<{ kind: string; amount: string }>(
    `select kind, amount::text from premium where policy_id = $1 and deleted_at is null order by created_at, kind`,
    [policyId],
  );
  return result.rows.map((row) => `${row.kind} ${row.amount}`);
}

/** The policy's Contract: its status and account (numbers), validated as FHIR. */
export async function published(
  t: Test,
  kinga: TestApp,
  policyId: string,
): Promise<{ status: string; account: ReturnType<typeof account> }> {
  const contract = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/Contract/${policyId}` }));
  return { status: policyStatus(contract), account: account(contract) };
}
