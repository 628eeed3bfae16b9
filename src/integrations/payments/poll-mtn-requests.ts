import type { Pool } from 'pg';
import type { JobLog } from '../../platform/jobs/job-service.ts';
import type { MtnClient } from './clients/mtn-client.ts';
import { storeInInbox } from './inbox-store.ts';
import { mtnEvent } from './providers/mtn.ts';

/**
 * MTN requests are final within minutes (the payer approves or the prompt expires); one still
 * unanswered after this long is no longer asked about, rather than polled forever.
 */
export const GIVE_UP_AFTER_HOURS = 24;
const BATCH = 500;

/** Headers stored with an outcome that came from the status API rather than a callback. */
const POLLED = { source: 'status-poll' };

export interface PollSummary {
  polled: number;
  stored: number;
  pending: number;
  errors: number;
}

/**
 * MTN sends a callback once and never again (https://momodeveloper.mtn.com/api-documentation/callback:
 * "poll for the transaction status as described in the GET method"). RequestToPay still without an
 * outcome in the inbox `afterMinutes` after they were made are asked GET requesttopay/{id}; a final
 * status is stored exactly as its callback would be (same event, same key: our X-Reference-Id), so a
 * callback arriving after the poll is absorbed by the inbox's unique key, and allocation takes it
 * on its next run. A failed request (no money) also ends the polling: its outcome is in the inbox.
 */
export async function pollPendingMtnRequests(
  pool: Pool,
  client: MtnClient,
  options: { afterMinutes: number; log?: JobLog },
): Promise<PollSummary> {
  const summary: PollSummary = { polled: 0, stored: 0, pending: 0, errors: 0 };
  const { rows } = await pool.query<{ provider_request_id: string }>(
    `select r.provider_request_id from payment_request r
      where r.provider = 'mtn' and r.status = 'pending'
        and r.created_at < now() - make_interval(mins => $1)
        and r.created_at > now() - make_interval(hours => $2)
        and not exists (select 1 from payment_inbox i
                         where i.provider = 'mtn' and i.provider_txn_id = r.provider_request_id)
      order by r.created_at
      limit $3`,
    [options.afterMinutes, GIVE_UP_AFTER_HOURS, BATCH],
  );
  for (const { provider_request_id: referenceId } of rows) {
    summary.polled += 1;
    try {
      const answer = await client.requestToPayStatus(referenceId);
      const event = answer ? mtnEvent(referenceId, answer.result) : null;
      if (!answer || !event) {
        // PENDING, or not (yet) known to MTN: asked again on the next run.
        summary.pending += 1;
        continue;
      }
      summary.stored += await storeInInbox(pool, answer.raw, POLLED, [event]);
    } catch (error) {
      summary.errors += 1;
      options.log?.warn({ err: error, referenceId }, 'MTN RequestToPay status poll failed');
    }
  }
  return summary;
}
