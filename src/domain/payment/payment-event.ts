import type { IsoDate } from '../shared/dates.ts';
import type { Money } from '../shared/money.ts';

/** The providers Kinga takes premiums from; `generic` is any gateway speaking Standard Webhooks. */
export const PaymentProviders = ['mpesa', 'mtn', 'airtel', 'mojaloop', 'generic'] as const;
export type PaymentProvider = (typeof PaymentProviders)[number];

/** completed: money received; failed: the payer did not pay; reversed: money taken back. */
export const PaymentEventStatuses = ['completed', 'failed', 'reversed', 'pending'] as const;
export type PaymentEventStatus = (typeof PaymentEventStatuses)[number];

/**
 * One provider callback as one canonical event (integrations.md Part C §2): what every adapter
 * turns its own shape into, and all that allocation reads. `providerTxnId` is the provider's own
 * transaction id (M-Pesa TransID, MTN X-Reference-Id, Airtel transaction.id, Mojaloop transferId):
 * the key a callback delivered twice is recognised by.
 */
export interface PaymentEvent {
  provider: PaymentProvider;
  providerTxnId: string;
  /** Another id of the same payment (an M-Pesa receipt behind an STK CheckoutRequestID). */
  providerCorrelationId?: string;
  /** What the payer typed or the request carried: our payment reference, or an insurance number. */
  reference?: string;
  /** The product code, when the payer named an insurance number instead of a reference. */
  productCode?: string;
  amount?: Money;
  currency?: string;
  status: PaymentEventStatus;
  /** Why a payment failed, as the provider said it. */
  statusReason?: string;
  /** The payer's phone number as the provider gave it (may be masked). */
  payer?: string;
  occurredAt?: IsoDate;
}
