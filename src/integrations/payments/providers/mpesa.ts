import type { PaymentEvent } from '../../../domain/payment/payment-event.ts';
import { KingaError } from '../../../domain/shared/errors.ts';
import { assertPathSecret } from '../callback-guards.ts';
import type { Callback, ProviderEndpoint } from '../provider-adapter.ts';

/** Daraja C2B body (integrations.md §5.1): the same JSON goes to validation and confirmation. */
interface C2bBody {
  TransID?: string;
  TransTime?: string;
  TransAmount?: string | number;
  /** What the payer typed: text, though a numeric reference may arrive as a number. */
  BillRefNumber?: string | number;
  /** Text in Daraja's documentation, a number in some deliveries. */
  MSISDN?: string | number;
}

/** "20191122063845" → "2019-11-22" (Daraja times are East Africa Time, the date is what counts). */
export function darajaDate(time: string | number | undefined): string | undefined {
  const text = time === undefined ? '' : String(time);
  return /^\d{14}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : undefined;
}

function c2bOf(callback: Callback): C2bBody {
  const body = callback.body as C2bBody | null;
  if (!body || typeof body !== 'object' || !body.TransID) {
    throw new KingaError('payment.callback-malformed', { detail: 'TransID is required' });
  }
  // The account number is text however it arrives (a reference of digits may come as a number).
  return body.BillRefNumber === undefined ? body : { ...body, BillRefNumber: String(body.BillRefNumber) };
}

/** An M-Pesa amount ("10", "10.50", 10): decimal text, never a float's artefacts. */
export function amountText(value: string | number | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const text = String(value).trim();
  return /^\d{1,16}(\.\d{1,2})?$/.test(text) ? text : undefined;
}

const guard: ProviderEndpoint['authenticate'] = (callback, config) =>
  assertPathSecret(callback.request, config.MPESA_CALLBACK_SECRET, config.MPESA_ALLOWED_IPS);

/** C2B validation: accept or reject before the payment completes, by the reference typed. */
export const mpesaC2bValidation: ProviderEndpoint = {
  provider: 'mpesa',
  method: 'POST',
  url: '/mpesa/:secret/c2b/validation',
  summary: 'M-Pesa C2B validation: is the account number (payment reference) known?',
  authenticate: guard,
  events: () => [],
  reply: () => ({ status: 200 }),
  async answer(callback, lookup) {
    const body = c2bOf(callback);
    const known = await lookup(String(body.BillRefNumber ?? ''), amountText(body.TransAmount));
    // Daraja's codes: C2B00012 invalid account number, C2B00013 invalid amount.
    return known === 'ok'
      ? { status: 200, body: { ResultCode: '0', ResultDesc: 'Accepted' } }
      : {
          status: 200,
          body: { ResultCode: known === 'amount' ? 'C2B00013' : 'C2B00012', ResultDesc: 'Rejected' },
        };
  },
};

/** C2B confirmation: the payment happened; TransID is the key, BillRefNumber our reference. */
export const mpesaC2bConfirmation: ProviderEndpoint = {
  provider: 'mpesa',
  method: 'POST',
  url: '/mpesa/:secret/c2b/confirmation',
  summary: 'M-Pesa C2B confirmation: a premium paid to the Paybill',
  authenticate: guard,
  events(callback) {
    const body = c2bOf(callback);
    const event: PaymentEvent = {
      provider: 'mpesa',
      providerTxnId: body.TransID!,
      status: 'completed',
      ...(body.BillRefNumber ? { reference: String(body.BillRefNumber) } : {}),
      ...(amountText(body.TransAmount) ? { amount: amountText(body.TransAmount)! } : {}),
      ...(body.MSISDN ? { payer: String(body.MSISDN) } : {}),
      ...(darajaDate(body.TransTime) ? { occurredAt: darajaDate(body.TransTime)! } : {}),
    };
    return [event];
  },
  reply: () => ({ status: 200, body: { ResultCode: 0, ResultDesc: 'Success' } }),
};

/** Daraja M-Pesa Express (STK push) result callback (integrations.md §5.1). */
interface StkCallbackBody {
  Body?: {
    stkCallback?: {
      MerchantRequestID?: string;
      CheckoutRequestID?: string;
      ResultCode?: number | string;
      ResultDesc?: string;
      CallbackMetadata?: { Item?: { Name?: string; Value?: string | number }[] };
    };
  };
}

/**
 * An STK push's outcome as one event. The key is CheckoutRequestID (one push has one outcome,
 * and the payment request Kinga stored is found by it); the money id, MpesaReceiptNumber, is the
 * correlation id and so the premium's receipt. ResultCode 0 is paid; any other (1032 cancelled by
 * the payer, 1037 phone unreachable, 1 insufficient funds, 2001 wrong PIN) is a failure, with
 * Daraja's ResultDesc as the reason. Failures carry no CallbackMetadata.
 */
export function stkEvent(body: unknown): PaymentEvent {
  const callback = (body as StkCallbackBody | null)?.Body?.stkCallback;
  const checkout = callback?.CheckoutRequestID;
  if (!callback || typeof checkout !== 'string' || checkout === '' || callback.ResultCode === undefined) {
    throw new KingaError('payment.callback-malformed', {
      detail: 'Body.stkCallback with CheckoutRequestID and ResultCode is required',
    });
  }
  if (String(callback.ResultCode) !== '0') {
    return {
      provider: 'mpesa',
      providerTxnId: checkout,
      status: 'failed',
      statusReason: callback.ResultDesc || `ResultCode ${callback.ResultCode}`,
    };
  }
  const items = callback.CallbackMetadata?.Item;
  const item = (name: string) =>
    Array.isArray(items) ? items.find((i) => i?.Name === name)?.Value : undefined;
  const receipt = item('MpesaReceiptNumber');
  const amount = amountText(item('Amount'));
  const phone = item('PhoneNumber');
  const date = darajaDate(item('TransactionDate'));
  return {
    provider: 'mpesa',
    providerTxnId: checkout,
    status: 'completed',
    ...(receipt === undefined ? {} : { providerCorrelationId: String(receipt) }),
    ...(amount ? { amount } : {}),
    ...(phone === undefined ? {} : { payer: String(phone) }),
    ...(date ? { occurredAt: date } : {}),
  };
}

/** STK push result: the callback URL given in processrequest (CallBackURL). */
export const mpesaStkCallback: ProviderEndpoint = {
  provider: 'mpesa',
  method: 'POST',
  url: '/mpesa/:secret/stk',
  summary: 'M-Pesa Express (STK push) result: a premium Kinga asked the payer to pay',
  authenticate: guard,
  events: (callback) => [stkEvent(callback.body)],
  reply: () => ({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } }),
};
