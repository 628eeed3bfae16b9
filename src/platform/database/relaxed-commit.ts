import { sql } from './sql.ts';

/**
 * A select-list expression that makes the caller's transaction commit without waiting for its WAL
 * to reach disk (PostgreSQL 15 §30.4 "Asynchronous Commit"): set_config(…, true) is SET LOCAL
 * (§9.27.1), so it can ride on the transaction's first query instead of costing a round trip.
 * For records whose loss in a crash costs nothing but a retry: an eligibility enquiry is answered
 * from durable data, and an enquiry lost in the last few hundred milliseconds before a crash is
 * asked again; a crash never leaves half of one. Never for money, claims or registers.
 */
export const commitWithoutWaitingForDisk = sql`set_config('synchronous_commit', 'off', true)`;
