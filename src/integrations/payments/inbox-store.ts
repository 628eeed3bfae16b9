import type { Pool } from 'pg';
import type { PaymentEvent } from '../../domain/payment/payment-event.ts';
import { newId } from '../../domain/shared/ids.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { FHIR_FORBIDDEN } from '../../platform/http/json-body.ts';

/**
 * The event's texts that Kinga publishes in FHIR (the receipt becomes PaymentNotice.identifier)
 * or matches on. FHIR strings may not hold characters below U+0020 but tab, LF and CR
 * (datatypes.html#string), and no provider's transaction id, reference or product code has one:
 * a callback carrying one is malformed, and is refused before anything is stored, as FHIR bodies
 * are (json-body.ts). The raw body itself is kept as received.
 */
const PUBLISHED_TEXTS = [
  'providerTxnId',
  'providerCorrelationId',
  'reference',
  'productCode',
  'currency',
] as const;

export function assertPublishable(event: PaymentEvent): void {
  for (const field of PUBLISHED_TEXTS) {
    const value = event[field];
    if (typeof value === 'string' && FHIR_FORBIDDEN.test(value)) {
      throw new KingaError('payment.callback-malformed', {
        detail: `the ${field} holds a control character, which no provider's id or reference has`,
      });
    }
  }
}

/**
 * Stores a callback's events in the payment inbox, each once per (provider, transaction id): one
 * INSERT … ON CONFLICT DO NOTHING per event on the pool, committed (synchronous commit: a payment
 * acknowledged is a payment kept) before the provider is answered. An event whose ids hold a
 * control character is refused first (assertPublishable), and then nothing is stored. Duplicates,
 * also concurrent ones, are absorbed by the unique index; the number of events newly stored is
 * returned.
 */
export async function storeInInbox(
  pool: Pool,
  rawBody: string,
  headers: Record<string, string>,
  events: PaymentEvent[],
): Promise<number> {
  events.forEach(assertPublishable);
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
