import type { Pool } from 'pg';
import type { Verification } from '../../domain/payment/allocate-payment.ts';
import type { PaymentEvent } from '../../domain/payment/payment-event.ts';
import { compareMoney, isMoney, type Money } from '../../domain/shared/money.ts';
import type { MpesaClient } from './clients/mpesa-client.ts';
import type { MtnClient } from './clients/mtn-client.ts';
import { ProviderHttpError } from './clients/provider-http.ts';
import { amountText } from './providers/mpesa.ts';

export interface UnsignedProviders {
  mtn?: MtnClient | undefined;
  mpesa?: MpesaClient | undefined;
}

/**
 * Trust, but verify (integrations.md Part C §4): M-Pesa and MTN sign nothing, so before a premium
 * is recorded from one of their callbacks the provider's status API is asked about it
 * (AllocationRun.verify, when PAYMENT_VERIFY_UNSIGNED is on), before the allocation's transaction
 * opens.
 *
 * - MTN: GET requesttopay/{X-Reference-Id} must say SUCCESSFUL, for the same amount.
 * - M-Pesa STK push (a payment Kinga requested, found in payment_request): stkpushquery must give
 *   ResultCode 0, and the callback's amount must be the amount pushed (the payer cannot change it).
 * - M-Pesa C2B is not verified: Daraja has no synchronous status API for it (Transaction Status
 *   answers by another callback, to a ResultURL), so a C2B confirmation relies on the path secret
 *   and the source-IP allow-list (MPESA_ALLOWED_IPS), and on reconciliation against the statement.
 *   An M-Pesa event with no payment request is C2B, or an STK push Kinga never made, which
 *   matches no reference and stays an exception.
 * - Signed providers (Airtel with its hash, Mojaloop, the generic endpoint) are verified at the door.
 *
 * A provider that cannot say yet (still processing, unreachable, any HTTP error) gives 'unknown':
 * the entry waits for a later run. Only an answer about the payment itself (MTN: FAILED, another
 * amount, no such request; Daraja: a non-zero ResultCode) is 'failed'. A provider that is on but whose API is not configured is an error, left
 * with the entry for staff to see.
 */
export function verifyUnsigned(
  providers: UnsignedProviders,
  pool: Pool,
): (event: PaymentEvent) => Promise<Verification> {
  return async (event) => {
    try {
      if (event.provider === 'mtn') {
        return await verifyMtn(providers.mtn, event);
      }
      if (event.provider === 'mpesa') {
        const pushed = await requestedAmount(pool, event);
        return pushed === null ? 'confirmed' : await verifyStk(providers.mpesa, event, pushed);
      }
      return 'confirmed';
    } catch (error) {
      if (error instanceof ProviderHttpError) {
        // Never 'failed' on an error: a rejected token or a throttled call says nothing of the
        // payment, and a genuine payment must not be marked unpaid for it.
        return 'unknown';
      }
      throw error;
    }
  };
}

async function verifyMtn(client: MtnClient | undefined, event: PaymentEvent): Promise<Verification> {
  if (!client) {
    throw new Error('PAYMENT_VERIFY_UNSIGNED is on but the MTN API (MTN_API_URL, keys) is not configured');
  }
  const answer = await client.requestToPayStatus(event.providerTxnId);
  if (!answer) {
    return 'failed';
  }
  const { status } = answer.result;
  if (status === 'PENDING' || status === 'ONGOING') {
    return 'unknown';
  }
  return status === 'SUCCESSFUL' && sameAmount(amountText(answer.result.amount), event.amount)
    ? 'confirmed'
    : 'failed';
}

async function verifyStk(
  client: MpesaClient | undefined,
  event: PaymentEvent,
  pushed: Money,
): Promise<Verification> {
  if (!client) {
    throw new Error(
      'PAYMENT_VERIFY_UNSIGNED is on but the Daraja API (MPESA_API_URL, keys) is not configured',
    );
  }
  if (!sameAmount(pushed, event.amount)) {
    return 'failed';
  }
  const result = await client.stkPushQuery(event.providerTxnId);
  if (result === 'processing') {
    return 'unknown';
  }
  return result.resultCode === '0' ? 'confirmed' : 'failed';
}

/** The amount of the STK push Kinga made with this CheckoutRequestID; null if it made none. */
async function requestedAmount(pool: Pool, event: PaymentEvent): Promise<Money | null> {
  const { rows } = await pool.query<{ amount: string }>(
    `select amount from payment_request where provider = 'mpesa' and provider_request_id = $1`,
    [event.providerTxnId],
  );
  return rows[0]?.amount ?? null;
}

function sameAmount(a: Money | undefined, b: Money | undefined): boolean {
  return a !== undefined && b !== undefined && isMoney(a) && isMoney(b) && compareMoney(a, b) === 0;
}
