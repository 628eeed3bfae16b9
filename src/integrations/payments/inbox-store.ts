import type { Pool } from 'pg';
import type { PaymentEvent } from '../../domain/payment/payment-event.ts';
import { newId } from '../../domain/shared/ids.ts';

/**
 * Stores a callback's events in the payment inbox, each once per (provider, transaction id): one
 * INSERT … ON CONFLICT DO NOTHING per event on the pool, committed (synchronous commit: a payment
 * acknowledged is a payment kept) before the provider is answered. Duplicates, also concurrent
 * ones, are absorbed by the unique index; the number of events newly stored is returned.
 */
export async function storeInInbox(
  pool: Pool,
  rawBody: string,
  headers: Record<string, string>,
  events: PaymentEvent[],
): Promise<number> {
  let stored = 0;
  for (const event of events) {
    const result = await pool.query(
      `insert into payment_inbox (id, provider, provider_txn_id, received_at, raw_body, headers, event, status, attempts, amount)
       values ($1, $2, $3, now(), $4, $5, $6, 'received', 0, $7)
       on conflict (provider, provider_txn_id) do nothing`,
      [
        newId(),
        event.provider,
        event.providerTxnId,
        rawBody,
        JSON.stringify(headers),
        JSON.stringify(event),
        event.amount ?? null,
      ],
    );
    stored += result.rowCount ?? 0;
  }
  return stored;
}
