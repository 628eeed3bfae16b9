import type { PaymentEvent } from '../../../domain/payment/payment-event.ts';
import { KingaError } from '../../../domain/shared/errors.ts';
import { isUuid } from '../../../domain/shared/ids.ts';
import { assertPathSecret } from '../callback-guards.ts';
import type { RequestToPayResult } from '../clients/mtn-client.ts';
import type { ProviderEndpoint } from '../provider-adapter.ts';
import { amountText } from './mpesa.ts';

/** Statuses MTN reports; SUCCESSFUL/FAILED/PENDING are documented, the others seen in the wild. */
const PAID = new Set(['SUCCESSFUL']);
const WAITING = new Set(['PENDING', 'ONGOING']);
const NOT_PAID = new Set(['FAILED', 'REJECTED', 'TIMEOUT', 'EXPIRED']);

function reasonText(reason: RequestToPayResult['reason'], status: string): string {
  if (typeof reason === 'string' && reason !== '') {
    return reason;
  }
  if (reason && typeof reason === 'object') {
    return [reason.code, reason.message].filter(Boolean).join(': ') || status;
  }
  return status;
}

/**
 * A RequestToPay outcome as one event, or null while it is pending (nothing to store). The same
 * function reads the callback body and the status GET (same shape), so a poll and a late callback
 * make the same event under the same key: our X-Reference-Id, which MTN's body does not carry
 * (it comes from the callback URL we gave, or the request we polled). The money id,
 * financialTransactionId, is the correlation id and so the premium's receipt.
 */
export function mtnEvent(referenceId: string, body: unknown): PaymentEvent | null {
  const result = body as RequestToPayResult | null;
  const status = result && typeof result === 'object' ? result.status : undefined;
  if (typeof status !== 'string') {
    throw new KingaError('payment.callback-malformed', { detail: 'status is required' });
  }
  if (WAITING.has(status)) {
    return null;
  }
  if (NOT_PAID.has(status)) {
    return {
      provider: 'mtn',
      providerTxnId: referenceId,
      status: 'failed',
      statusReason: reasonText(result!.reason, status),
    };
  }
  if (!PAID.has(status)) {
    throw new KingaError('payment.callback-malformed', { detail: `unknown status ${status}` });
  }
  const amount = amountText(result!.amount);
  const { financialTransactionId, currency, payer } = result!;
  return {
    provider: 'mtn',
    providerTxnId: referenceId,
    status: 'completed',
    ...(financialTransactionId ? { providerCorrelationId: String(financialTransactionId) } : {}),
    ...(amount ? { amount } : {}),
    ...(currency ? { currency } : {}),
    ...(payer?.partyId ? { payer: String(payer.partyId) } : {}),
  };
}

function referenceIdOf(params: Record<string, string>): string {
  const referenceId = params['referenceId'] ?? '';
  if (!isUuid(referenceId)) {
    throw new KingaError('payment.callback-malformed', { detail: 'the reference id is not a UUID' });
  }
  return referenceId.toLowerCase();
}

/**
 * MTN calls the X-Callback-Url given with the RequestToPay, by PUT or POST (both must be
 * accepted), once and never again (https://momodeveloper.mtn.com/api-documentation/callback):
 * the poll job covers a lost one. Unsigned: the secret in the path authenticates it, and
 * allocation confirms it with the status API when PAYMENT_VERIFY_UNSIGNED is on.
 */
function mtnRequestToPay(method: 'PUT' | 'POST'): ProviderEndpoint {
  return {
    provider: 'mtn',
    method,
    url: '/mtn/:secret/requesttopay/:referenceId',
    summary: `MTN MoMo RequestToPay result (${method}): a premium Kinga asked the payer to pay`,
    authenticate: (callback, config) => assertPathSecret(callback.request, config.MTN_CALLBACK_SECRET),
    events(callback) {
      const event = mtnEvent(referenceIdOf(callback.request.params), callback.body);
      return event ? [event] : [];
    },
    reply: () => ({ status: 200 }),
  };
}

export const mtnRequestToPayPut = mtnRequestToPay('PUT');
export const mtnRequestToPayPost = mtnRequestToPay('POST');
