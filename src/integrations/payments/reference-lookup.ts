import type { Pool } from 'pg';
import { isReferenceNumber, normaliseReference } from '../../domain/payment/payment-reference-number.ts';
import type { ReferenceLookup } from './provider-adapter.ts';

/**
 * Whether a payer's reference is one Kinga expects money for (M-Pesa C2B validation), in one
 * indexed query: an open reference (any amount up to what is still expected is accepted: partial
 * payments are allowed), or a live insurance number (openIMIS's fallback matching).
 */
export function referenceLookup(pool: Pool): ReferenceLookup {
  return async (text) => {
    const reference = normaliseReference(text);
    if (isReferenceNumber(reference)) {
      const found = await pool.query(
        `select 1 from payment_reference where reference = $1 and status <> 'cancelled' and deleted_at is null`,
        [reference],
      );
      return found.rowCount ? 'ok' : 'unknown';
    }
    if (!reference) {
      return 'unknown';
    }
    const insuree = await pool.query(
      'select 1 from insuree where insurance_number = $1 and deleted_at is null limit 1',
      [reference],
    );
    return insuree.rowCount ? 'ok' : 'unknown';
  };
}
